namespace Jtai.Strategy.Contracts.SpocDirectory;

public enum RecipientReason
{
    /// <summary>The primary SPOC is available.</summary>
    Primary,

    /// <summary>Every SPOC ranked above this deputy is on cover at the time asked.</summary>
    DeputyCoveringAbsence,

    /// <summary>
    /// The area has SPOCs of its own and every one of them is on cover at the time asked, so an
    /// agency-wide SPOC receives (the first of them not on cover).
    /// </summary>
    AgencyWideCoveringArea,
}

public sealed record RoutedRecipient(SpocSnapshot Spoc, RecipientReason Reason, IReadOnlyList<SpocSnapshot> Unavailable);

/// <summary>
/// The directory's published rule for "who receives an invitation for agency X, area Y, at time T".
/// It lives with the contracts so the directory and every replica of it answer the same way.
/// </summary>
public static class RecipientRouting
{
    /// <summary>
    /// Who may receive, in the order they are tried (this is also the order in which a chase
    /// escalates): the SPOCs assigned to the area in rank order, then the agency-wide ones in rank
    /// order, so a team whose area SPOCs are all away still reaches someone who can act. Without
    /// an area, or for an area with no SPOC of its own, the agency-wide ones alone. Active only:
    /// a retired SPOC is no longer in the chain.
    /// </summary>
    public static IReadOnlyList<SpocSnapshot> Chain(IEnumerable<SpocSnapshot> agencySpocs, string? area)
    {
        var active = agencySpocs.Where(s => s.Active).ToList();
        var forArea = string.IsNullOrWhiteSpace(area)
            ? []
            : active.Where(s => IsFor(s, area)).OrderBy(s => s.Rank).ThenBy(s => s.SpocId).ToList();
        var agencyWide = active.Where(s => s.Area is null).OrderBy(s => s.Rank).ThenBy(s => s.SpocId);
        return [.. forArea, .. agencyWide];
    }

    /// <summary>
    /// The next SPOC to try after the one who had it (and did not answer, or could not be reached):
    /// later in <see cref="Chain"/>, not among <paramref name="tried"/>, not on cover at
    /// <paramref name="at"/>. Never back up the chain, so a primary returned from cover is not asked
    /// again. A current recipient no longer in the chain (retired since) starts it from the top.
    /// </summary>
    public static SpocSnapshot? NextAfter(IEnumerable<SpocSnapshot> agencySpocs, string? area, Guid currentSpocId, IReadOnlySet<Guid> tried, DateTimeOffset at)
    {
        var chain = Chain(agencySpocs, area);
        var position = chain.Select(s => s.SpocId).ToList().IndexOf(currentSpocId);
        return chain.Skip(position + 1).FirstOrDefault(s => !tried.Contains(s.SpocId) && !IsOnCover(s, at));
    }

    private static bool IsFor(SpocSnapshot spoc, string area) =>
        string.Equals(spoc.Area, area.Trim(), StringComparison.OrdinalIgnoreCase);

    public static bool IsOnCover(SpocSnapshot spoc, DateTimeOffset at) =>
        spoc.Covers.Any(c => c.StartsAt <= at && at < c.EndsAt);

    /// <summary>
    /// The first SPOC in the chain not on cover at <paramref name="at"/>; null when every one is. The
    /// reason says whether a deputy covers, or the agency-wide SPOCs cover for an area's own.
    /// </summary>
    public static RoutedRecipient? Resolve(IEnumerable<SpocSnapshot> agencySpocs, string? area, DateTimeOffset at)
    {
        var chain = Chain(agencySpocs, area);
        var skipped = new List<SpocSnapshot>();
        foreach (var spoc in chain)
        {
            if (!IsOnCover(spoc, at))
            {
                var reason = skipped.Count == 0 ? RecipientReason.Primary
                    : spoc.Area is null && skipped.Any(s => s.Area is not null) ? RecipientReason.AgencyWideCoveringArea
                    : RecipientReason.DeputyCoveringAbsence;
                return new RoutedRecipient(spoc, reason, skipped);
            }

            skipped.Add(spoc);
        }

        return null;
    }
}
