using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Dashboard;

/// <summary>
/// The MASDG's dashboard: one month or quarter, overall or filtered to an agency and/or a team, by agency and by team,
/// and the circulations overdue now. A GET form (works without JavaScript); the figures and the overdue list are read
/// from the metrics API at once, with the user's token.
/// </summary>
public sealed class DashboardPage(MetricsApiClient metrics, LondonTime time, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Agency { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Team { get; set; }

    public IReadOnlyList<Periods.Choice> Months { get; private set; } = [];

    public IReadOnlyList<Periods.Choice> Quarters { get; private set; } = [];

    public FiguresView? Figures { get; private set; }

    public OverdueCirculationsPage? Overdue { get; private set; }

    public ApiProblem? Problem { get; private set; }

    public LondonTime Time { get; } = time;

    /// <summary>The query string of this view, for its CSV links and the trends link.</summary>
    public string Filters => MetricsApiClient.Query(("period", Period), ("agency", Agency), ("team", Team));

    public string Label => Months.Concat(Quarters).FirstOrDefault(c => c.Token == Period)?.Label ?? Period ?? string.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var today = Periods.Today(Time, clock);
        Months = Periods.Months(today);
        Quarters = Periods.Quarters(today);
        Period = string.IsNullOrWhiteSpace(Period) ? Months[0].Token : Period.Trim();
        Agency = Code(Agency);
        Team = Code(Team);

        var figures = metrics.FiguresAsync(Period, Agency, Team, cancellationToken);
        var overdue = metrics.OverdueCirculationsAsync(Team, cancellationToken);
        await Task.WhenAll(figures, overdue);
        Figures = figures.Result.Value is { } report ? new FiguresView(report, Agency, Team) : null;
        Overdue = overdue.Result.Value;
        Problem = figures.Result.Problem ?? overdue.Result.Problem;
    }

    // Codes are upper case in every service (DURHAM-POLICE, FF-EASINGTON): a code typed in lower case still finds its figures.
    private static string? Code(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToUpperInvariant();
}
