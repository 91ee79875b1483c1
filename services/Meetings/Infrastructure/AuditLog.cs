using System.Diagnostics;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Meetings.Domain;

namespace Jtai.Strategy.Meetings.Infrastructure;

/// <summary>The audit trail: this is some of the most sensitive data a council holds.</summary>
public static class AuditLog
{
    /// <summary>Anyone answering through a response link, who has no account.</summary>
    public const string ResponseLinkActor = "response-link";

    public const string SystemActor = "system";

    /// <summary>
    /// The trail as a hash chain (migration <c>0130_audit_chain</c>): the database chains each row as it is inserted
    /// and refuses updates and deletes; these are the fields each row's hash covers, in the migration's order
    /// (<c>audit_entry_fields</c>), for the <c>verify-audit</c> command to recompute it.
    /// </summary>
    public static AuditTrail Trail { get; } = new(MeetingsDbContext.SchemaName, "audit_entry", "id",
    [
        "id::text",
        "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
        "actor",
        "action",
        "meeting_id::text",
        "detail",
        "trace_id",
    ]);

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
