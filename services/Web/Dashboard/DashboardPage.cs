using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Dashboard;

/// <summary>
/// The MASDG's dashboard: one month or quarter, overall or filtered to an agency and/or a team, by agency and by team,
/// and the circulations overdue now. A GET form (works without JavaScript); the figures and the overdue list are read
/// from the metrics API at once, with the user's token; the agency and team lists of the filters from the directory
/// (every agency) and the meetings service (the teams' names and codes, all the MASDG may read of them).
/// </summary>
public sealed class DashboardPage(MetricsApiClient metrics, MasdgFilters filters, LondonTime time, TimeProvider clock) : PageModel
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

    /// <summary>The filters' lists and choices.</summary>
    public AgencyTeamFilters Choices { get; private set; } = AgencyTeamFilters.None;

    /// <summary>Previous and next through the overdue circulations, as the metrics API pages them (the filters kept).</summary>
    public Pagination OverduePages { get; private set; } = new(null, null, 1, "");

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
        Agency = MasdgFilters.Code(Agency);
        Team = MasdgFilters.Code(Team);

        var page = PageTrail.From(Request);
        var figures = metrics.FiguresAsync(Period, Agency, Team, cancellationToken);
        var overdue = metrics.OverdueCirculationsAsync(Team, page, cancellationToken);
        var lists = filters.ReadAsync(Agency, Team, cancellationToken);
        await Task.WhenAll(figures, overdue, lists);
        Figures = figures.Result.Value is { } report ? new FiguresView(report, Agency, Team) : null;
        Overdue = overdue.Result.Value;
        Problem = figures.Result.Problem ?? overdue.Result.Problem;
        Choices = new AgencyTeamFilters(lists.Result, Agency, Team);
        var path = "/masdg" + Filters;
        OverduePages = new Pagination(page.PreviousHref(path), page.NextHref(path, Overdue is { HasMore: true } ? Overdue.NextCursor : null), page.Number, "Pages of the overdue circulations");
    }
}
