using System.Diagnostics;
using Jtai.Strategy.Meetings.Domain;

namespace Jtai.Strategy.Meetings.Infrastructure;

/// <summary>The audit trail: this is some of the most sensitive data a council holds.</summary>
public static class AuditLog
{
    /// <summary>Anyone answering through a response link, who has no account.</summary>
    public const string ResponseLinkActor = "response-link";

    public const string SystemActor = "system";

    /// <summary>Adds an entry to the current unit of work: a change and its audit commit together.</summary>
    public static void Audit(this MeetingsDbContext db, string actor, string action, Guid? meetingId, DateTimeOffset at, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = at,
            Actor = actor,
            Action = action,
            MeetingId = meetingId,
            Detail = detail,
            TraceId = Activity.Current?.TraceId.ToString(),
        });

    /// <summary>
    /// The detail of a list read: the summary and every reference shown, so the trail answers "who saw this record"
    /// for lists too, not only for single reads.
    /// </summary>
    public static string Shown(string summary, IEnumerable<string> references)
    {
        var shown = string.Join(", ", references);
        return shown.Length == 0 ? summary : $"{summary}: {shown}";
    }

    /// <summary>Records a read at once (a read has no unit of work of its own).</summary>
    public static async Task AuditReadAsync(this MeetingsDbContext db, string actor, string action, Guid? meetingId, DateTimeOffset at, string? detail, CancellationToken cancellationToken)
    {
        db.Audit(actor, action, meetingId, at, detail);
        await db.SaveChangesAsync(cancellationToken);
    }
}
