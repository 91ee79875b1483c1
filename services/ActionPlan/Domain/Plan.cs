namespace Jtai.Strategy.ActionPlan.Domain;

/// <summary>An improvement action plan (e.g. Durham's JTAI plan): themes, areas for improvement and actions.</summary>
public sealed class Plan
{
    public Guid Id { get; init; }

    /// <summary>Stable, URL-safe identifier chosen at import, e.g. <c>durham-jtai-2018</c>.</summary>
    public required string Code { get; init; }

    public required string Title { get; set; }

    public DateTimeOffset ImportedAt { get; init; }

    public required string ImportedBy { get; init; }

    public List<Theme> Themes { get; init; } = [];

    public List<AreaForImprovement> Areas { get; init; } = [];

    public List<PlanAction> Actions { get; init; } = [];
}

/// <summary>A thematic improvement area (Durham: 1 Strategy Meetings … 5 Voice of the Child).</summary>
public sealed class Theme
{
    public Guid PlanId { get; init; }

    public int Number { get; init; }

    public required string Name { get; init; }
}

/// <summary>
/// An area for improvement by its ref (1.1, 2.5, …). One ref may group several inspection findings:
/// <see cref="Findings"/> holds each distinct finding text once, in plan order.
/// </summary>
public sealed class AreaForImprovement
{
    public Guid PlanId { get; init; }

    public required string Ref { get; init; }

    public int ThemeNumber { get; init; }

    public int Ordinal { get; init; }

    public List<string> Findings { get; init; } = [];
}
