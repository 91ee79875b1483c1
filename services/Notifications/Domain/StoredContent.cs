using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Delivery.Rendering;

namespace Jtai.Strategy.Notifications.Domain;

/// <summary>
/// The rendered notice as stored in <c>delivery.content</c> until it is sent: rendered once, so every resend of a
/// delivery carries the same text and calendar object as the first attempt.
/// </summary>
public sealed record StoredContent(string Subject, string TextBody, string? HtmlBody, string? ShortText, StoredCalendar? Calendar)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Serialize(NotificationContent content) => JsonSerializer.Serialize(
        new StoredContent(
            content.Subject,
            content.TextBody,
            content.HtmlBody,
            content.ShortText,
            content.Calendar is { } c ? new StoredCalendar(c.Content, c.Method, c.FileName) : null),
        Json);

    public static NotificationContent Deserialize(string json)
    {
        var stored = JsonSerializer.Deserialize<StoredContent>(json, Json) ?? throw new FormatException("Empty delivery content.");
        return new NotificationContent
        {
            Subject = stored.Subject,
            TextBody = stored.TextBody,
            HtmlBody = stored.HtmlBody,
            ShortText = stored.ShortText,
            Calendar = stored.Calendar is { } c ? new CalendarAttachment(c.Content, c.Method, c.FileName) : null,
        };
    }
}

public sealed record StoredCalendar(string Content, CalendarMethod Method, string FileName);
