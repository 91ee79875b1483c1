using Jtai.Strategy.BuildingBlocks.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace Jtai.Strategy.BuildingBlocks.Tests;

[EntityName("jtai-strategy.spoc-directory.something-happened")]
public sealed record SomethingHappenedInTheDirectory(int Id);

[EntityName("jtai-strategy.meetings.something-happened")]
public sealed record SomethingHappenedInMeetings(int Id);

/// <summary>Who is trusted for which context's events, and how a moved copy keeps its first publisher (rules, no broker).</summary>
public sealed class PublisherIdentityTests
{
    private static PublisherIdentity Meetings(string connectedAs = "meetings", string environment = "Production", string? directoryUser = null) => new(
        "meetings",
        new BrokerAddress("127.0.0.1", 5672, "/", connectedAs, "x"),
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:BrokerUsers:spoc-directory"] = directoryUser }).Build(),
        new HostingEnvironment { EnvironmentName = environment });

    private static BasicProperties From(string? userId, string? arrivedAs = null) => new()
    {
        UserId = userId,
        Headers = arrivedAs is null ? null : new Dictionary<string, object?> { [PublisherIdentity.ArrivedAsHeader] = System.Text.Encoding.UTF8.GetBytes(arrivedAs) },
    };

    [Fact]
    public void Another_contexts_event_is_accepted_only_from_that_contexts_user()
    {
        var meetings = Meetings();

        Assert.Null(meetings.RefusalOf(typeof(SomethingHappenedInTheDirectory), From("spoc-directory")));
        Assert.Contains("user_id 'metrics'", meetings.RefusalOf(typeof(SomethingHappenedInTheDirectory), From("metrics")), StringComparison.Ordinal);
        Assert.Contains("no AMQP user_id", meetings.RefusalOf(typeof(SomethingHappenedInTheDirectory), From(null)), StringComparison.Ordinal);
        // Its own context's messages are guarded by the broker's write permission, not by user.
        Assert.Null(meetings.RefusalOf(typeof(SomethingHappenedInMeetings), From("anyone")));
        // A deployment naming the directory's user otherwise.
        Assert.Null(Meetings(directoryUser: "jtai-directory").RefusalOf(typeof(SomethingHappenedInTheDirectory), From("jtai-directory")));
        Assert.NotNull(Meetings(directoryUser: "jtai-directory").RefusalOf(typeof(SomethingHappenedInTheDirectory), From("spoc-directory")));
    }

    [Fact]
    public void A_moved_copy_carries_the_services_own_user_id_and_is_judged_by_its_first_publisher()
    {
        var meetings = Meetings();

        var fromDirectory = meetings.ForCopy(From("spoc-directory"));
        Assert.Equal("meetings", fromDirectory.UserId);
        Assert.Null(meetings.RefusalOf(typeof(SomethingHappenedInTheDirectory), fromDirectory));

        // A header planted by a sender without the right user_id is dropped, not trusted.
        var planted = meetings.ForCopy(From(null, arrivedAs: "spoc-directory"));
        Assert.Equal("meetings", planted.UserId);
        Assert.False(planted.Headers!.ContainsKey(PublisherIdentity.ArrivedAsHeader));
        Assert.NotNull(meetings.RefusalOf(typeof(SomethingHappenedInTheDirectory), planted));
        Assert.NotNull(meetings.RefusalOf(typeof(SomethingHappenedInTheDirectory), meetings.ForCopy(From("guest", arrivedAs: "spoc-directory"))));

        // Moved twice (to _error, back, to _error again): still the first publisher.
        Assert.Null(meetings.RefusalOf(typeof(SomethingHappenedInTheDirectory), meetings.ForCopy(fromDirectory)));
    }

    [Fact]
    public void Connected_as_anyone_but_its_own_user_a_service_starts_only_in_Development_and_then_checks_nothing()
    {
        Assert.True(Meetings().Checking);
        Meetings().EnsureAllowed(NullLogger.Instance);

        var production = Meetings(connectedAs: "guest");
        Assert.False(production.Checking);
        var refused = Assert.Throws<InvalidOperationException>(() => production.EnsureAllowed(NullLogger.Instance));
        Assert.Contains("connects to RabbitMQ as 'guest', not as its own user 'meetings'", refused.Message, StringComparison.Ordinal);

        var development = Meetings(connectedAs: "guest", environment: Environments.Development);
        development.EnsureAllowed(NullLogger.Instance);
        Assert.Null(development.RefusalOf(typeof(SomethingHappenedInTheDirectory), From("metrics")));
    }
}
