using Jtai.Strategy.Web.Apis;

namespace Jtai.Strategy.Web.Dashboard;

/// <summary>
/// The agency and team lists of the MASDG's filters (the dashboard's and the trends page's): every agency from the
/// directory and the teams' names and codes from the meetings service (all the MASDG may read of them), by name.
/// </summary>
public sealed class MasdgFilters(DirectoryApiClient directory, TeamsApiClient teams)
{
    public sealed record Lists(IReadOnlyList<(string Code, string Name)> Agencies, IReadOnlyList<(string Code, string Name)> Teams);

    /// <summary>Both lists, read at once. A list that could not be read leaves its filter with "All" (and the code asked for): the figures still show.</summary>
    public async Task<Lists> ReadAsync(string? agency, string? team, CancellationToken cancellationToken)
    {
        var agencies = directory.AllAgenciesAsync(cancellationToken);
        var teamNames = teams.AllTeamNamesAsync(cancellationToken);
        await Task.WhenAll(agencies, teamNames);
        return new Lists(
            Choices(agencies.Result.Value?.Select(a => (a.Code, a.Name)), agency),
            Choices(teamNames.Result.Value?.Select(t => (t.Code, t.Name)), team));
    }

    /// <summary>A code as the services keep it: upper case (DURHAM-POLICE, FF-EASINGTON), so one typed in lower case still finds its figures.</summary>
    public static string? Code(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToUpperInvariant();

    // A code in the address that is not listed is kept as a choice, so the form shows what the figures are filtered by.
    private static List<(string Code, string Name)> Choices(IEnumerable<(string Code, string Name)>? listed, string? asked)
    {
        var choices = (listed ?? []).OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        if (asked is not null && !choices.Any(c => c.Code == asked))
        {
            choices.Add((asked, asked));
        }

        return choices;
    }
}

/// <summary>The model of <c>_AgencyTeamFilters</c>: the lists and the codes chosen (null: all).</summary>
public sealed record AgencyTeamFilters(MasdgFilters.Lists Lists, string? Agency, string? Team)
{
    public static readonly AgencyTeamFilters None = new(new MasdgFilters.Lists([], []), null, null);
}
