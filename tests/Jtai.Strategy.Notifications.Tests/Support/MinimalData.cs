using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>The facts a notice may carry, from the messages the test published. Everything else is template text.</summary>
internal sealed record AllowedFacts(
    IReadOnlyCollection<DateTimeOffset> Times,
    IReadOnlyCollection<Uri> Links,
    IReadOnlyCollection<string> Addresses);

/// <summary>
/// The minimal-data rule, checked on a delivered e-mail: nothing about the child (the case's values appear nowhere),
/// and nothing beyond the allowed fields (labels, dates, links, addresses and calendar properties are all from the
/// allowed set), so an e-mail that grew a new field would fail here even if the field were not in the denylist.
/// </summary>
internal static partial class MinimalData
{
    private static readonly HashSet<string> AllowedLabels = new(StringComparer.Ordinal)
    {
        "Meeting reference", "When", "New time", "Previous time", "Was planned for", "Reason", "Phone", "Conference code", "PIN",
        "Response link", "Case details are available only after you sign in",
    };

    private static readonly HashSet<string> AllowedCalendarProperties = new(StringComparer.Ordinal)
    {
        "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION",
        "DESCRIPTION", "ORGANIZER", "ATTENDEE", "STATUS", "TRANSP",
    };

    private static readonly TimeZoneInfo UkTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static async Task AssertAsync(ReceivedMail mail, AllowedFacts facts)
    {
        var bodies = new List<string> { mail.Text, WebUtility.HtmlDecode(mail.Html) };
        if (mail.HasCalendar)
        {
            var calendar = await IcalJs.ParseAsync(mail.CalendarPart);
            bodies.Add(string.Join("\n", calendar.Summary, calendar.Location, calendar.Description));
            foreach (var line in ReceivedMail.Unfolded(mail.CalendarPart))
            {
                var name = PropertyName().Match(line).Groups[1].Value;
                Assert.True(AllowedCalendarProperties.Contains(name), $"calendar property {name} is not an allowed field: {line}");
                foreach (Match address in EmailAddress().Matches(line))
                {
                    Assert.Contains(address.Value.ToLowerInvariant(), facts.Addresses.Select(a => a.ToLowerInvariant()));
                }
            }
        }

        // Denylist: the case behind the meeting, anywhere (raw, decoded parts, headers).
        foreach (var value in TheCase.Values)
        {
            Assert.DoesNotContain(value, mail.Raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(value, mail.Parsed.AllDecodedText, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var word in new[] { "date of birth", "DOB", "born", "home address", "postcode", "NHS number" })
        {
            Assert.DoesNotMatch(new Regex($@"\b{Regex.Escape(word)}\b", RegexOptions.IgnoreCase), mail.Parsed.AllDecodedText);
        }

        var allowedDates = facts.Times.Select(t => TimeZoneInfo.ConvertTime(t, UkTime).ToString("d MMMM yyyy", CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var allowedLinks = facts.Links.Select(l => l.AbsoluteUri).ToHashSet(StringComparer.Ordinal);
        var allowedAddresses = facts.Addresses.Select(a => a.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        // Allow-list: only the expected labelled fields ...
        foreach (Match label in Label().Matches(mail.Text))
        {
            Assert.True(AllowedLabels.Contains(label.Groups[1].Value), $"'{label.Groups[1].Value}' is not an allowed field of a notice");
        }

        foreach (var body in bodies)
        {
            // ... only the meeting's own dates (a date of birth would be another date) ...
            foreach (Match date in WrittenDate().Matches(body))
            {
                Assert.True(allowedDates.Contains(date.Value), $"date '{date.Value}' is not one of the meeting's times");
            }

            Assert.DoesNotMatch(NumericDate(), body);
            Assert.DoesNotMatch(UkPostcode(), body);

            // ... only the response and sign-in links, and only the professionals' and organiser's addresses.
            foreach (Match link in Link().Matches(body))
            {
                Assert.True(allowedLinks.Contains(link.Value.TrimEnd('.', ',', ')')), $"link '{link.Value}' is not an allowed link");
            }

            foreach (Match address in EmailAddress().Matches(body))
            {
                Assert.True(allowedAddresses.Contains(address.Value.ToLowerInvariant()), $"address '{address.Value}' is not an allowed address");
            }
        }
    }

    [GeneratedRegex(@"^([A-Z0-9-]+)[;:]")]
    private static partial Regex PropertyName();

    [GeneratedRegex(@"^([A-Z][A-Za-z ]{0,60}): ", RegexOptions.Multiline)]
    private static partial Regex Label();

    [GeneratedRegex(@"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b")]
    private static partial Regex WrittenDate();

    [GeneratedRegex(@"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(19|20)\d{2}-\d{2}-\d{2}\b")]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")]
    private static partial Regex UkPostcode();

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex Link();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();
}
