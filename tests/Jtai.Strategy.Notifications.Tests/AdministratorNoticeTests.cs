using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Meetings;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Notifications.Tests.Support;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// The bank holiday list's warning reaches the administrators by e-mail (issue 13): the real meetings service (its own
/// manual clock, the shipped list ending 2030-12-31) fires its daily deadline at 08:00 London time and this service sends
/// one e-mail per day to the administrators' mailbox through the real SMTP server, reported as NoticeDelivered (kind
/// administrator-notice). A deadline fired again or a restart sends nothing more; outside the warning year, nothing.
/// </summary>
public sealed class AdministratorNoticeTests : ServicesOnOneBroker
{
    private const string Mailbox = "administrators@partnership.example";
    private const string Kind = BankHolidayNoticeHandler.DeadlineKind;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Meetings:Administrators:Mailbox"] = Mailbox,
        ["Meetings:Administrators:NoticeAt"] = "08:00",
    };

    private PostgresDatabase meetingsDatabase = null!;
    private PostgresDatabase notificationsDatabase = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        meetingsDatabase = await NewDatabaseAsync();
        notificationsDatabase = await NewDatabaseAsync();
    }

    [Fact]
    public async Task Within_the_warning_year_the_administrators_get_one_email_a_day_naming_the_lists_last_day_even_when_fired_again_or_restarted()
    {
        await using var notifications = await new NotificationsHost(notificationsDatabase, Broker, NotificationsHost.Settings(Smtp)).StartedAsync();
        // Tuesday 12 March 2030, 07:00 London time (GMT): inside the shipped list's last year; the notice is due at 08:00.
        var clock = new ManualClock(new DateTimeOffset(2030, 3, 12, 7, 0, 0, TimeSpan.Zero));
        var meetings = await AcrossServices.StartMeetingsAsync(meetingsDatabase, Broker, clock, Settings);
        try
        {
            await Eventually.TrueAsync(async () => await DeadlinesAsync("fired_at IS NULL") == 1, Timeout);
            Assert.Empty(Smtp.MessagesTo(Mailbox));

            clock.Set(new DateTimeOffset(2030, 3, 12, 8, 0, 0, TimeSpan.Zero));
            var file = Assert.Single(await Eventually.GetAsync(() => Task.FromResult(Smtp.MessagesTo(Mailbox)), m => m.Count > 0, Timeout, "the notice arrives in the administrators' mailbox"));
            var mail = await ReceivedMail.ReadAsync(file);
            Assert.Equal($"Strategy meetings administrators <{Mailbox}>", mail.Header("To"));
            Assert.Equal("Strategy meetings: the bank holiday list ends on 2030-12-31", mail.Header("Subject"));
            Assert.Contains("The bank holiday list ends on 2030-12-31, in 294 days: add 2031's bank holidays", mail.Text, StringComparison.Ordinal);
            Assert.Contains("The bank holiday list ends on 2030-12-31, in 294 days: add 2031&#39;s bank holidays", mail.Html, StringComparison.Ordinal);
            Assert.Contains("contains no case details", mail.Text, StringComparison.Ordinal);

            var noticeId = BankHolidayNoticeHandler.NoticeIdOf(new DateOnly(2030, 3, 12));
            var receipt = await Eventually.GetAsync(
                () => Task.FromResult(Observer.NoticesDelivered.FirstOrDefault(n => n.Kind == DeliveryKinds.AdministratorNotice)), n => n is not null, Timeout, "the notice's receipt");
            Assert.Equal((noticeId, (string?)null), (receipt!.MeetingId, receipt.AgencyCode));
            // Tomorrow's deadline is the chain's one pending row.
            await Eventually.TrueAsync(async () => await DeadlinesAsync("fired_at IS NULL") == 1 && await DeadlinesAsync("fired_at IS NOT NULL") == 1, Timeout);

            // Today's deadline fired again (as after a crash between publishing and marking it fired): the same notice
            // id, published under another message id, sends nothing more.
            await meetingsDatabase.ExecuteAsync($"UPDATE meetings.deadline SET fired_at = NULL WHERE kind = '{Kind}' AND payload = '2030-03-12'");
            await Eventually.TrueAsync(async () => await DeadlinesAsync("fired_at IS NULL") == 1, Timeout);
            await Eventually.TrueAsync(async () => await OutboxNoticesAsync() == 2, Timeout);

            // A restart: the pending row keeps the chain, no second one is started.
            await meetings.DisposeAsync();
            meetings = await AcrossServices.StartMeetingsAsync(meetingsDatabase, Broker, clock, Settings);
            await Task.Delay(2000);
            Assert.Equal(2L, await DeadlinesAsync("true"));
            Assert.Single(Smtp.MessagesTo(Mailbox));
            Assert.Equal(1L, await notificationsDatabase.ScalarAsync<long>("SELECT count(*) FROM notifications.delivery WHERE kind = 'administrator-notice'"));

            // The next day's notice, one day closer.
            clock.Set(new DateTimeOffset(2030, 3, 13, 8, 0, 0, TimeSpan.Zero));
            var both = await Eventually.GetAsync(() => Task.FromResult(Smtp.MessagesTo(Mailbox)), m => m.Count > 1, Timeout, "the next day's notice");

            var texts = new List<string>();
            foreach (var f in both)
            {
                texts.Add((await ReceivedMail.ReadAsync(f)).Text);
            }

            Assert.Single(texts, t => t.Contains("in 293 days", StringComparison.Ordinal));
            await Task.Delay(1000);
            Assert.Equal(2, Smtp.MessagesTo(Mailbox).Count);
        }
        finally
        {
            await meetings.DisposeAsync();
        }
    }

    [Fact]
    public async Task More_than_a_year_before_the_lists_last_day_the_daily_deadline_fires_and_sends_nothing()
    {
        await using var notifications = await new NotificationsHost(notificationsDatabase, Broker, NotificationsHost.Settings(Smtp)).StartedAsync();
        // Monday 31 December 2029, 07:00 London time: the last day before the warning year.
        var clock = new ManualClock(new DateTimeOffset(2029, 12, 31, 7, 0, 0, TimeSpan.Zero));
        await using var meetings = await AcrossServices.StartMeetingsAsync(meetingsDatabase, Broker, clock, Settings);
        await Eventually.TrueAsync(async () => await DeadlinesAsync("fired_at IS NULL") == 1, Timeout);

        clock.Set(new DateTimeOffset(2029, 12, 31, 8, 0, 0, TimeSpan.Zero));
        // Fired, with the next day's scheduled (1 January 2030, inside the year: the chain goes on).
        await Eventually.TrueAsync(async () => await DeadlinesAsync("fired_at IS NOT NULL") == 1 && await DeadlinesAsync("fired_at IS NULL AND payload = '2030-01-01'") == 1, Timeout);
        await Task.Delay(2000);

        Assert.Equal(0L, await OutboxNoticesAsync());
        Assert.Empty(Smtp.MessagesTo(Mailbox));
        Assert.Equal(0L, await notificationsDatabase.ScalarAsync<long>("SELECT count(*) FROM notifications.delivery WHERE kind = 'administrator-notice'"));
    }

    private async Task<long> DeadlinesAsync(string where) =>
        await meetingsDatabase.ScalarAsync<long>($"SELECT count(*) FROM meetings.deadline WHERE kind = '{Kind}' AND {where}");

    private async Task<long> OutboxNoticesAsync() =>
        await meetingsDatabase.ScalarAsync<long>("SELECT count(*) FROM meetings.outbox_message WHERE message_type LIKE '%:administrator-notice-due:v1'");
}
