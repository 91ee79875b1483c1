namespace Jtai.Strategy.ActionPlan.Domain;

public enum IssuedReportKind
{
    /// <summary>The progress table by theme for a due-by date (period: yyyy-MM-dd).</summary>
    Progress,

    /// <summary>The quarterly exception report (period: 2019-Q1).</summary>
    Exceptions,
}

/// <summary>
/// A report as the MASDG issued it: its figures exactly as they went out (the canonical JSON) and their SHA-256,
/// who issued it and when. Never changed (the database refuses it): issuing the same report again makes a new
/// version, which must say why.
/// </summary>
public sealed class IssuedReport
{
    public Guid Id { get; init; }

    public Guid PlanId { get; init; }

    public IssuedReportKind Kind { get; init; }

    /// <summary>Which report of its kind: the due-by date of a progress table, the quarter of an exception report.</summary>
    public required string Period { get; init; }

    /// <summary>1 for the first issue, then 2, 3, … for each re-issue.</summary>
    public int Version { get; init; }

    /// <summary>The report read the history as recorded by the end of this day.</summary>
    public DateOnly AsAt { get; init; }

    /// <summary>The report as issued: UTF-8 JSON, properties in declaration order, no whitespace.</summary>
    public required string Content { get; init; }

    public required string ContentSha256 { get; init; }

    /// <summary>Why it was re-issued (required from version 2 on).</summary>
    public string? Reason { get; init; }

    public required string IssuedBySubject { get; init; }

    public required string IssuedByName { get; init; }

    public DateTimeOffset IssuedAt { get; init; }
}
