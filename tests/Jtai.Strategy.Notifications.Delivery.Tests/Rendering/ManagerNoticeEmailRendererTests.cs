using Jtai.Strategy.Notifications.Delivery.Rendering;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Rendering;

/// <summary>The notices to a team's managers: one subject per kind, the facts in words, no calendar, bad input refused.</summary>
public sealed class ManagerNoticeEmailRendererTests
{
    private static readonly Uri SignIn = new("https://meetings.example.gov.uk/api/meetings/5f0c3a5e-0000-4000-8000-000000000001");

    // 2 December 2026 14:00 UTC is 14:00 in London (winter).
    private static readonly DateTimeOffset Deadline = new(2026, 12, 2, 14, 0, 0, TimeSpan.Zero);

    private static ManagerNoticeDetails Details(string kind) => new()
    {
        Kind = kind,
        MeetingReference = "SM-2026-000123",
        SignInLink = SignIn,
        RecipientName = "Pat Manager",
        TeamName = "Families First Easington",
    };

    public static TheoryData<ManagerNoticeDetails, string, string> Kinds() => new()
    {
        { Details("circulation-warning") with { CirculationDeadline = Deadline }, "agreed actions not yet circulated", "They are due by Wednesday 2 December 2026, 14:00 (UK time)." },
        { Details("circulation-overdue") with { CirculationDeadline = Deadline, HoursOverdue = 26 }, "agreed actions overdue (26 h)", "they are 26 hours overdue." },
        { Details("circulation-overdue") with { CirculationDeadline = Deadline, HoursOverdue = 0 }, "agreed actions overdue", "the deadline has passed." },
        { Details("no-recipient-left") with { AgencyName = "Durham Constabulary", RanksTried = [1, 0, 2] }, "no recipient left at Durham Constabulary", "it went to the primary SPOC and deputies 1, 2, and no further deputy is available." },
        { Details("below-minimum-at-convening") with { MinimumNotCovered = ["SocialCare", "Police"] }, "below the national minimum", "Not covered now: social care, police." },
        { Details("record-due") with { ScheduledEnd = Deadline }, "meeting not recorded", "was scheduled to end Wednesday 2 December 2026, 14:00 (UK time) and has not been recorded as held, or cancelled." },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_says_what_happened_with_the_reference_and_sign_in_link_only(ManagerNoticeDetails details, string subjectEnd, string sentence)
    {
        var rendered = new ManagerNoticeEmailRenderer().Render(details);

        Assert.Equal($"Strategy meeting SM-2026-000123 \u2013 {subjectEnd}", rendered.Subject);
        Assert.StartsWith("Dear Pat Manager,\n\nMeeting reference: SM-2026-000123\n\n", rendered.TextBody, StringComparison.Ordinal);
        Assert.Contains(sentence, rendered.TextBody, StringComparison.Ordinal);
        Assert.Contains("sign in at " + SignIn.AbsoluteUri, rendered.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{SignIn.AbsoluteUri}\"", rendered.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("this e-mail contains no case details", rendered.TextBody, StringComparison.Ordinal);
        Assert.Null(rendered.Calendar);
    }

    [Fact]
    public void An_unnamed_manager_is_greeted_without_a_name_and_html_is_encoded()
    {
        var rendered = new ManagerNoticeEmailRenderer().Render(Details("no-recipient-left") with { RecipientName = null, AgencyName = "Smith & <Co>", RanksTried = [0] });

        Assert.StartsWith("Hello,\n", rendered.TextBody, StringComparison.Ordinal);
        Assert.Contains("Smith &amp; &lt;Co&gt;", rendered.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<Co>", rendered.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void A_notice_missing_its_facts_or_of_an_unknown_kind_is_refused()
    {
        var renderer = new ManagerNoticeEmailRenderer();
        Assert.Throws<ArgumentException>(() => renderer.Render(Details("circulation-warning")));
        Assert.Throws<ArgumentException>(() => renderer.Render(Details("circulation-overdue") with { CirculationDeadline = Deadline }));
        Assert.Throws<ArgumentException>(() => renderer.Render(Details("below-minimum-at-convening")));
        Assert.Throws<ArgumentException>(() => renderer.Render(Details("record-due")));
        Assert.Throws<ArgumentException>(() => renderer.Render(Details("masdg-digest")));
        Assert.Throws<ArgumentException>(() => renderer.Render(Details("record-due") with { ScheduledEnd = Deadline, SignInLink = new Uri("ftp://x.example/") }));
    }
}
