using Jtai.Strategy.BuildingBlocks.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jtai.Strategy.BuildingBlocks.Deadlines;

public sealed class DeadlineOptions
{
    /// <summary>How often the poller looks for due rows; bounds lateness when nothing else wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deadlines fired per transaction.</summary>
    public int BatchSize { get; set; } = 100;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
}

public sealed class DeadlineRegistration<TDbContext>(IServiceCollection services)
    where TDbContext : ServiceDbContext
{
    public DeadlineRegistration<TDbContext> Handle<THandler>()
        where THandler : class, IDeadlineHandler<TDbContext>
    {
        services.AddScoped<IDeadlineHandler<TDbContext>, THandler>();
        return this;
    }
}

public static class DeadlineExtensions
{
    /// <summary>Runs the deadline poller for this service's schema with the given handlers.</summary>
    public static IHostApplicationBuilder AddDeadlines<TDbContext>(this IHostApplicationBuilder builder, Action<DeadlineRegistration<TDbContext>> handlers)
        where TDbContext : ServiceDbContext
    {
        builder.Services.AddOptions<DeadlineOptions>().BindConfiguration("Deadlines");
        handlers(new DeadlineRegistration<TDbContext>(builder.Services));
        builder.Services.AddSingleton<DeadlinePoller<TDbContext>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeadlinePoller<TDbContext>>());
        return builder;
    }

    /// <summary>Stores a deadline in the current unit of work; it exists only if the unit of work commits.</summary>
    public static Guid ScheduleDeadline(this ServiceDbContext db, string kind, Guid subjectId, DateTimeOffset dueAt, string? payload = null)
    {
        var id = NewId.NextGuid();
        db.Deadlines.Add(new DeadlineRow { Id = id, Kind = kind, SubjectId = subjectId, DueAt = dueAt.ToUniversalTime(), Payload = payload });
        return id;
    }

    /// <summary>Cancels the pending deadlines of a kind for a subject, at once, in the current transaction if there is one.</summary>
    public static Task<int> CancelDeadlinesAsync(this ServiceDbContext db, string kind, Guid subjectId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Deadlines
            .Where(d => d.Kind == kind && d.SubjectId == subjectId && d.FiredAt == null && d.CancelledAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.CancelledAt, now), cancellationToken);
}
