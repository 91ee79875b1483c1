using System.Globalization;
using System.Net;
using System.Text;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Text;

namespace Jtai.Strategy.ActionPlan.Reports;

public enum ReportFormat
{
    Json,
    Csv,
    Html,
}

/// <summary>The reports as CSV (for spreadsheets) and as a printable HTML page (for the executive's papers).</summary>
public static class ReportRendering
{
    /// <summary>?format=json|csv|html wins; otherwise the Accept header; otherwise JSON.</summary>
    public static ReportFormat? Negotiate(string? format, string? accept) => format?.Trim().ToLowerInvariant() switch
    {
        "json" => ReportFormat.Json,
        "csv" => ReportFormat.Csv,
        "html" => ReportFormat.Html,
        null or "" when accept?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true => ReportFormat.Csv,
        null or "" when accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true => ReportFormat.Html,
        null or "" => ReportFormat.Json,
        _ => null,
    };

    private const string StatusKey =
        "Green: action complete. Amber: commenced, not complete, needs further time to embed. Yellow: timescale revised with the executive's approval. " +
        "Not started: nothing reported yet.";

    public static string ProgressCsv(ProgressReport report)
    {
        var csv = new CsvWriter("theme_number", "theme", "green", "amber", "yellow", "not_started", "total", "overdue");
        foreach (var line in report.Themes.Append(report.Totals))
        {
            csv.Row(Text(line.ThemeNumber), line.Theme, Text(line.Green), Text(line.Amber), Text(line.Yellow), Text(line.NotStarted), Text(line.Total), Text(line.Overdue));
        }

        return csv.ToString();
    }

    public static string ProgressHtml(ProgressReport report)
    {
        var html = Page($"{report.PlanTitle}: progress against actions with a timescale by {Day(report.DueBy)}");
        html.Append("<table><thead><tr><th scope=\"col\">No</th><th scope=\"col\">Theme</th><th scope=\"col\" class=\"green\">Green</th><th scope=\"col\" class=\"amber\">Amber</th>")
            .Append("<th scope=\"col\" class=\"yellow\">Yellow</th><th scope=\"col\">Not started</th><th scope=\"col\">Total</th><th scope=\"col\">Of which overdue</th></tr></thead><tbody>");
        foreach (var line in report.Themes)
        {
            html.Append("<tr><td>").Append(line.ThemeNumber).Append(".</td><th scope=\"row\">").Append(E(line.Theme)).Append("</th>");
            Numbers(html, line);
        }

        html.Append("</tbody><tfoot><tr><td></td><th scope=\"row\">Totals</th>");
        Numbers(html, report.Totals);
        html.Append("</tfoot></table>")
            .Append("<p class=\"key\">").Append(E(StatusKey)).Append(" Counts the actions whose original timescale fell on or before ").Append(Day(report.DueBy))
            .Append("; statuses as the tracker had recorded them by the end of ").Append(Day(report.AsAt)).Append(", overdue judged on ").Append(Day(report.JudgedOn))
            .Append(". Of the statuses counted, ").Append(report.Totals.Imported).Append(" come from imported files and ").Append(report.Totals.Reconstructed)
            .Append(" were reconstructed from a published progress report; the rest were recorded by the MASDG.</p>");
        return End(html);

        static void Numbers(StringBuilder html, ProgressLine line) =>
            html.Append("<td>").Append(line.Green).Append("</td><td>").Append(line.Amber).Append("</td><td>").Append(line.Yellow)
                .Append("</td><td>").Append(line.NotStarted).Append("</td><td><strong>").Append(line.Total).Append("</strong></td><td>").Append(line.Overdue).Append("</td></tr>");
    }

    /// <summary>One flat file: a <c>section</c> column says which part of the report a row belongs to.</summary>
    public static string ExceptionsCsv(ExceptionReport report)
    {
        var csv = new CsvWriter("section", "action_key", "theme_number", "action", "lead", "agency", "due_date", "revised_due_date", "status", "metric_key", "period_start", "period_end", "numerator", "denominator", "value", "target", "approved_by", "approved_on", "detail");
        foreach (var o in report.Overdue)
        {
            Row(csv, "overdue", o.Key, o.ThemeNumber, o.Intent, o.Lead, o.Lead, Iso(o.OriginalDueDate), Iso(o.RevisedDueDate), o.Status.ToString(), "", "", "", "", "", "", "", "", "",
                $"{o.DaysOverdue} days past its timescale");
        }

        foreach (var r in report.RevisedTimescales)
        {
            Row(csv, "revised-timescale", r.Key, r.ThemeNumber, r.Intent, r.Lead, r.Lead, Iso(r.PreviousDueDate), Iso(r.RevisedDueDate), r.Status.ToString(), "", "", "", "", "", "", "",
                r.ApprovedBy, Iso(r.ApprovedOn), r.Reason);
        }

        foreach (var m in report.MissedTargets)
        {
            Row(csv, "metric-target-missed", m.Key, m.ThemeNumber, m.Intent, m.Lead, m.AgencyCode ?? "all agencies", "", "", "", m.MetricKey, Iso(m.PeriodStart), Iso(m.PeriodEnd),
                m.Numerator.ToString(CultureInfo.InvariantCulture), m.Denominator.ToString(CultureInfo.InvariantCulture), Ratio(m.Value), Target(m.Comparison, m.Target), "", "",
                $"{m.PeriodKind}: {Percent(m.Value)} against a target of {Target(m.Comparison, m.Target)}");
        }

        return csv.ToString();

        static void Row(CsvWriter csv, params object?[] values) => csv.Row(values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
    }

    public static string ExceptionsHtml(ExceptionReport report)
    {
        var html = Page($"{report.PlanTitle}: exception report for {report.Quarter} ({Day(report.From)} to {Day(report.To)})");
        html.Append("<p>Actions overdue on ").Append(Day(report.JudgedOn)).Append(", timescales revised with the executive's approval in the quarter, and evidence-of-impact targets missed in the quarter, ")
            .Append("from what the tracker had recorded by the end of ").Append(Day(report.AsAt)).Append(".</p>");

        html.Append("<h2>Agencies concerned</h2>");
        if (report.AgenciesConcerned.Count == 0)
        {
            html.Append("<p>None: no exceptions this quarter.</p>");
        }
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">Agency or group</th><th scope=\"col\">Overdue actions</th><th scope=\"col\">Revised timescales</th><th scope=\"col\">Targets missed</th></tr></thead><tbody>");
            foreach (var a in report.AgenciesConcerned)
            {
                html.Append("<tr><th scope=\"row\">").Append(E(a.Agency)).Append("</th><td>").Append(a.OverdueActions).Append("</td><td>").Append(a.RevisedTimescales)
                    .Append("</td><td>").Append(a.MissedTargets).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        Section(html, "Actions overdue", report.Overdue, ["Action", "What", "Lead", "Timescale", "Status", "Days overdue"], o =>
            [o.Key, o.Intent, o.Lead, o.RevisedDueDate is null ? Day(o.DueDate) : $"{Day(o.DueDate)} (revised from {Day(o.OriginalDueDate)})", o.Status.ToString(), o.DaysOverdue.ToString(CultureInfo.InvariantCulture)]);
        Section(html, "Timescales revised", report.RevisedTimescales, ["Action", "What", "Lead", "From", "To", "Approved by", "Approved on", "Reason", "Status", "Source"], r =>
            [r.Key, r.Intent, r.Lead, Day(r.PreviousDueDate), Day(r.RevisedDueDate), ApprovedBy(r), Day(r.ApprovedOn), r.Reason, r.Status.ToString(), SourceText(r.Source)]);
        Section(html, "Evidence of impact below target", report.MissedTargets, ["Action", "What", "Lead", "Agency", "Metric", "Period", "Figure", "Target"], m =>
            [m.Key, m.Intent, m.Lead, m.AgencyCode ?? "all agencies", m.MetricKey, $"{m.PeriodKind} {Day(m.PeriodStart)} to {Day(m.PeriodEnd)}",
                $"{Percent(m.Value)} ({m.Numerator} of {m.Denominator})", Target(m.Comparison, m.Target)]);
        html.Append("<p class=\"key\">").Append(E(StatusKey)).Append("</p>");
        return End(html);
    }

    private static void Section<T>(StringBuilder html, string title, IReadOnlyList<T> rows, string[] headers, Func<T, string[]> cells)
    {
        html.Append("<h2>").Append(E(title)).Append(" (").Append(rows.Count).Append(")</h2>");
        if (rows.Count == 0)
        {
            html.Append("<p>None.</p>");
            return;
        }

        html.Append("<table><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in cells(row))
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static StringBuilder Page(string title) => new StringBuilder("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>")
        .Append(E(title)).Append("</title><style>")
        .Append("body{font-family:Arial,Helvetica,sans-serif;font-size:11pt;margin:2em;color:#111}h1{font-size:15pt}h2{font-size:13pt;margin-top:1.5em}")
        .Append("table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #555;padding:.3em .5em;text-align:left;vertical-align:top}")
        .Append("thead th{background:#eee}.green{background:#c6efce}.amber{background:#ffd7a0}.yellow{background:#fff2a8}.key{font-size:9pt}")
        .Append("@media print{body{margin:0;font-size:9pt}tr{page-break-inside:avoid}thead{display:table-header-group}}")
        .Append("</style></head><body><h1>").Append(E(title)).Append("</h1>");

    private static string End(StringBuilder html) => html.Append("</body></html>\n").ToString();

    // A recorded decision shows who, in which role or meeting, and where it is minuted; free text is labelled as such.
    private static string ApprovedBy(RevisedTimescale r) => r.Approval is { } a
        ? $"{a.Approver}, {a.RoleOrMeeting} (ref. {a.DocumentReference}; recorded by {a.RecordedByName})"
        : $"{r.ApprovedBy} (as typed; no decision record)";

    private static string SourceText(Provenance source) => source switch
    {
        Provenance.Imported => "imported",
        Provenance.ReconstructedFromProgressReport => "reconstructed from a progress report",
        _ => "recorded by a user",
    };

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string Day(DateOnly? date) => date?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) ?? "undated";

    private static string? Text(int? number) => number?.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Ratio(decimal? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Percent(decimal? value) => value is { } v ? (v * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "no cases";

    private static string Target(TargetComparison comparison, decimal target) =>
        (comparison == TargetComparison.AtLeast ? "at least " : "at most ") + (target * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
