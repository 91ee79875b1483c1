using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using MassTransit;

namespace Jtai.Strategy.Web.LiveBoard;

/// <summary>
/// Hears what changes a meeting's board (an invitation issued, delivered or not, reminded, answered, passed to a
/// deputy, or no deputy left to pass it to) and
/// tells the open board pages of that meeting. It changes no state, so it needs no inbox: a message delivered twice
/// only makes an open page read the board twice.
/// </summary>
public sealed class BoardChangeConsumer(MeetingChanges changes) :
    IConsumer<InvitationIssued>,
    IConsumer<InvitationDelivered>,
    IConsumer<InvitationDeliveryFailed>,
    IConsumer<InvitationAnswered>,
    IConsumer<InvitationSuperseded>,
    IConsumer<InvitationReminderDue>,
    IConsumer<InvitationNotIssued>
{
    public Task Consume(ConsumeContext<InvitationIssued> context) => Tell(context.Message.MeetingId, "issued");

    public Task Consume(ConsumeContext<InvitationDelivered> context) => Tell(context.Message.MeetingId, "delivered");

    public Task Consume(ConsumeContext<InvitationDeliveryFailed> context) => Tell(context.Message.MeetingId, "not-delivered");

    public Task Consume(ConsumeContext<InvitationAnswered> context) => Tell(context.Message.MeetingId, "answered");

    public Task Consume(ConsumeContext<InvitationSuperseded> context) => Tell(context.Message.MeetingId, "passed-on");

    public Task Consume(ConsumeContext<InvitationReminderDue> context) => Tell(context.Message.MeetingId, "reminded");

    public Task Consume(ConsumeContext<InvitationNotIssued> context) => Tell(context.Message.MeetingId, "no-one-left");

    private Task Tell(Guid meetingId, string what)
    {
        changes.Changed(meetingId, what);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Each web instance has its own queue (named with the instance's id), so every instance hears every change for the
/// pages open on it; the usual quorum queue, which the broker deletes once its instance has been gone for an hour.
/// </summary>
public sealed class BoardChangeConsumerDefinition : ConsumerDefinition<BoardChangeConsumer>
{
    public static readonly TimeSpan QueueExpiry = TimeSpan.FromHours(1);

    public BoardChangeConsumerDefinition(WebInstance instance) =>
        EndpointName = "web-board-changes-" + instance.Id;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<BoardChangeConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.QueueExpiration = QueueExpiry;
        }
    }
}

/// <summary>This process's id among the web instances: the host name and process id, or <c>Web:InstanceId</c> when set.</summary>
public sealed class WebInstance(string id)
{
    public string Id { get; } = id;
}
