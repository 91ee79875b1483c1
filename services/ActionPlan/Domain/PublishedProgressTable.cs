namespace Jtai.Strategy.ActionPlan.Domain;

/// <summary>
/// A progress table as a published document gave it, e.g. Table 1 of the Overview &amp; Scrutiny report of
/// 11 February 2019: counts per theme, not statuses per action. Kept as imported (the database refuses any
/// change), with where it came from and a SHA-256 of the file, so the tracker's own table for the same date
/// can be shown beside it without either being rewritten to match the other.
/// </summary>
public sealed class PublishedProgressTable
{
    public Guid Id { get; init; }

    public Guid PlanId { get; init; }

    /// <summary>The document the figures are in, as a reader would cite it (title, date, table).</summary>
    public required string SourceDocument { get; init; }

    public DateOnly PublishedOn { get; init; }

    /// <summary>The table counts the actions originally due by this date (Table 1: 31 December 2018).</summary>
    public DateOnly DueBy { get; init; }

    /// <summary>SHA-256 (hex) of the imported CSV text (UTF-8), so the stored figures can be checked against the file.</summary>
    public required string ContentSha256 { get; init; }

    public required string ImportedBySubject { get; init; }

    public required string ImportedByName { get; init; }

    public DateTimeOffset ImportedAt { get; init; }

    public List<PublishedProgressLine> Lines { get; init; } = [];
}

/// <summary>One line of a published table: a theme's counts, or the table's own totals row (no theme number).</summary>
public sealed class PublishedProgressLine
{
    public Guid TableId { get; init; }

    /// <summary>1, 2, … in the document's order.</summary>
    public int Ordinal { get; init; }

    public int? ThemeNumber { get; init; }

    /// <summary>The theme as the document names it (Durham's Table 1 says "Front Door &amp; MASH").</summary>
    public required string Theme { get; init; }

    public int Green { get; init; }

    public int Amber { get; init; }

    public int Yellow { get; init; }

    public int Total { get; init; }

    /// <summary>What the document counts as neither Green, Amber nor Yellow.</summary>
    public int NotStarted => Total - Green - Amber - Yellow;
}
