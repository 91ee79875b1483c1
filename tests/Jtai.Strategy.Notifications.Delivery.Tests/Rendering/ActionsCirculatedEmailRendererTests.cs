using Jtai.Strategy.Notifications.Delivery.Rendering;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Rendering;

public sealed class ActionsCirculatedEmailRendererTests
{
    private static readonly ActionsCirculatedDetails Details = new()
    {
        MeetingReference = "SM-2026-000123",
        SignInLink = new Uri("https://strategy.example.gov.uk/sign-in?meeting=SM-2026-000123&view=actions"),
        RecipientName = "Dana Officer",
        TeamName = "Northshire MASH",
    };

    [Fact]
    public void Notice_has_reference_and_sign_in_link_only()
    {
        var rendered = new ActionsCirculatedEmailRenderer().Render(Details);

        Assert.Equal("Strategy meeting SM-2026-000123 – agreed actions circulated", rendered.Subject);
        Assert.Contains("The agreed actions from strategy meeting SM-2026-000123 have been circulated.", rendered.TextBody);
        Assert.Contains("Sign in to read them", rendered.TextBody);
        Assert.Contains("https://strategy.example.gov.uk/sign-in?meeting=SM-2026-000123&view=actions", rendered.TextBody);
        Assert.Contains("href=\"https://strategy.example.gov.uk/sign-in?meeting=SM-2026-000123&amp;view=actions\"", rendered.HtmlBody);
        Assert.Null(rendered.Calendar);
        Assert.Null(rendered.CalendarEvent);
        Assert.Null(rendered.ToNotificationContent().Calendar);
    }

    [Fact]
    public void Greeting_falls_back_when_no_name_is_given()
    {
        var rendered = new ActionsCirculatedEmailRenderer().Render(Details with { RecipientName = null, TeamName = null });
        Assert.StartsWith("Hello,\n", rendered.TextBody);
    }
}
