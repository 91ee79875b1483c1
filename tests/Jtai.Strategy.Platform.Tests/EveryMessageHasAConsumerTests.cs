using System.Reflection;
using Jtai.Strategy.Contracts;
using Jtai.Strategy.Metrics.Projection;
using MassTransit;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// The outbox relay publishes as mandatory: a message that no service's queue is bound for stays pending and keeps the
/// publisher's health Degraded. So every contract some service publishes must be consumed by some service.
/// </summary>
public sealed class EveryMessageHasAConsumerTests
{
    private static readonly Assembly[] Services =
    [
        typeof(SpocDirectory.SpocDirectoryService).Assembly,
        typeof(Meetings.MeetingsService).Assembly,
        typeof(Notifications.NotificationsService).Assembly,
        typeof(Metrics.MetricsService).Assembly,
        typeof(ActionPlan.ActionPlanService).Assembly,
    ];

    [Fact]
    public void Every_contract_is_consumed_by_some_service()
    {
        var consumed = Services
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            // The metrics projection registers one generic consumer per type of its one list.
            .Concat(ProjectedEvents.All.Select(e => e.Type))
            .ToHashSet();
        var contracts = MessageContracts.Assembly.GetTypes().Where(t => t.GetCustomAttribute<MessageUrnAttribute>() is not null).ToList();

        Assert.NotEmpty(contracts);
        Assert.Empty(contracts.Where(t => !consumed.Contains(t)).Select(t => t.Name));
    }
}
