namespace Jtai.Strategy.Contracts.SpocDirectory;

public enum RecipientReason
{
    /// <summary>The primary SPOC is available.</summary>
    Primary,

    /// <summary>Every SPOC ranked above this deputy is on cover at the time asked.</summary>
    DeputyCoveringAbsence,
}

public sealed record RoutedRecipient(SpocSnapshot Spoc, RecipientReason Reason, IReadOnlyList<SpocSnapshot> Unavailable);

/// <summary>
/// The directory's published rule for "who receives an invitation for agency X, area Y, at time T".
/// It lives with the contracts so the directory and every replica of it answer the same way.
/// </summary>
public static class RecipientRouting
{
    /// <summary>
    /// SPOCs assigned to the area, when the agency has any for it, otherwise the agency-wide ones;
    /// active only; in rank order. This is also the order in which a chase escalates.
    /// </summary>
    public static IReadOnlyList<SpocSnapshot> Chain(IEnumerable<SpocSnapshot> agencySpocs, string? area)
    {
        var active = agencySpocs.Where(s => s.Active).ToList();
        var forArea = string.IsNullOrWhiteSpace(area)
            ? []
            : active.Where(s => string.Equals(s.Area, area.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        var chosen = forArea.Count > 0 ? forArea : active.Where(s => s.Area is null).ToList();
        return chosen.OrderBy(s => s.Rank).ThenBy(s => s.SpocId).ToList();
    }

    public static bool IsOnCover(SpocSnapshot spoc, DateTimeOffset at) =>
        spoc.Covers.Any(c => c.StartsAt <= at && at < c.EndsAt);

    /// <summary>The first SPOC in the chain not on cover at <paramref name="at"/>; null when every one is.</summary>
    public static RoutedRecipient? Resolve(IEnumerable<SpocSnapshot> agencySpocs, string? area, DateTimeOffset at)
    {
        var chain = Chain(agencySpocs, area);
        var skipped = new List<SpocSnapshot>();
        foreach (var spoc in chain)
        {
            if (!IsOnCover(spoc, at))
            {
                return new RoutedRecipient(spoc, skipped.Count == 0 ? RecipientReason.Primary : RecipientReason.DeputyCoveringAbsence, skipped);
            }

            skipped.Add(spoc);
        }

        return null;
    }
}
