using System.Globalization;
using System.Text;

using Xunit;

namespace Jtai.Strategy.Testing.Authorization;

/// <summary>
/// The expected status of every endpoint for every caller, kept as a Markdown table a reviewer reads
/// (<c>authorization-matrix.md</c>), and the page generated from it (<c>docs/authorization.md</c>).
/// A row: service, method, route (as the service maps it), the request to send (the route with the scene's values:
/// {team}, {meeting}, {invitation}, {agency}, {plan}, or {random} for a resource that does not exist), then one
/// status per caller.
/// </summary>
public sealed class AuthorizationMatrix(IReadOnlyList<AuthorizationMatrix.Row> rows)
{
    private static readonly string[] Fixed = ["service", "method", "route", "request"];

    public static readonly string[] Callers =
        ["no token", "Spoc, other agency", "TeamManager, other team", "Masdg", "Spoc, own agency", "TeamManager, own team", "Administrator"];

    public sealed record Row(string Service, string Method, string Route, string Request, IReadOnlyDictionary<string, int> Expected);

    public IReadOnlyList<Row> Rows { get; } = rows;

    public Row? Find(string service, string method, string route) =>
        Rows.SingleOrDefault(r => r.Service == service && r.Method == method && r.Route == route);

    public static AuthorizationMatrix Read(string file)
    {
        if (!File.Exists(file))
        {
            return new AuthorizationMatrix([]);
        }

        var table = File.ReadAllLines(file).Where(l => l.StartsWith('|')).Select(Cells).ToList();
        if (table.Count == 0)
        {
            return new AuthorizationMatrix([]);
        }

        var header = table[0];
        Assert.Equal([.. Fixed, .. Callers], header);
        return new AuthorizationMatrix(table.Skip(2).Select(cells => new Row(
            cells[0], cells[1], Unescape(cells[2]), Unescape(cells[3]),
            Callers.Select((c, i) => (c, Status: int.Parse(cells[Fixed.Length + i], CultureInfo.InvariantCulture))).ToDictionary(x => x.c, x => x.Status))).ToList());
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("# Authorization matrix (the expected status of every endpoint for every caller)");
        text.AppendLine();
        text.AppendLine("Read by `AuthorizationMatrixTests`, which calls every endpoint of every service as each caller on the real servers");
        text.AppendLine("and asserts each status; an endpoint without a row fails it. `request` is what is sent: the route with the");
        text.AppendLine("scene's values (`{team}` the own team, `{meeting}` its meeting, `{invitation}` that meeting's invitation to the own");
        text.AppendLine("agency, `{agency}` the own agency, `{plan}` the sample plan, `{random}` an id nothing has). Writes send an empty");
        text.AppendLine("document (`{}`, or an empty CSV). `docs/authorization.md` is generated from this table.");
        text.AppendLine();
        text.AppendLine(Line([.. Fixed, .. Callers]));
        text.AppendLine(Line([.. Fixed.Concat(Callers).Select(_ => "---")]));
        foreach (var row in Rows)
        {
            text.AppendLine(Line([row.Service, row.Method, Escape(row.Route), Escape(row.Request), .. Callers.Select(c => row.Expected[c].ToString(CultureInfo.InvariantCulture))]));
        }

        return text.ToString();
    }

    /// <summary>
    /// The page for readers: per service, each endpoint and what each caller gets, then the web service's pages
    /// (<paramref name="web"/>, from <c>tests/Jtai.Strategy.Web.Tests/authorization-matrix.md</c>).
    /// </summary>
    public string RenderDocument(WebAuthorizationMatrix web)
    {
        var text = new StringBuilder();
        text.AppendLine("# Who may call what");
        text.AppendLine();
        text.AppendLine("Generated from `tests/Jtai.Strategy.Platform.Tests/authorization-matrix.md` (the APIs, by `AuthorizationMatrixTests`)");
        text.AppendLine("and `tests/Jtai.Strategy.Web.Tests/authorization-matrix.md` (the web service's pages, by `WebAuthorizationMatrixTests`,");
        text.AppendLine("\"The web service\" below), which check every cell against the running services (real PostgreSQL and RabbitMQ) and");
        text.AppendLine("fail on an endpoint without a row. Do not edit by hand: change a matrix and run its test with");
        text.AppendLine("`JTAI_RECORD_AUTHORIZATION_MATRIX=1` to write it and this page.");
        text.AppendLine();
        text.AppendLine("The scene: team manager \"own team\" runs a meeting that invited SPOC \"own agency\"; \"other team\" and \"other");
        text.AppendLine("agency\" are anyone else's. Writes are sent with an empty document, so an allowed write answers 400 (the body is");
        text.AppendLine("judged only after the caller is). The test also fails if any answer to no token, another team or another agency");
        text.AppendLine("contains the scene's meeting id, reference, case reference or invitation id.");
        text.AppendLine();
        text.AppendLine("**401** no or bad token · **403** refused · **404** not found (or not yours, where existence is not revealed) ·");
        text.AppendLine("**400** allowed, the empty document refused · **200/201/202/204** allowed · **409** allowed, not in this state.");
        foreach (var service in Rows.GroupBy(r => r.Service))
        {
            text.AppendLine();
            text.AppendLine($"## {service.Key}");
            text.AppendLine();
            text.AppendLine(Line(["endpoint", .. Callers]));
            text.AppendLine(Line([.. Enumerable.Repeat("---", Callers.Length + 1)]));
            foreach (var row in service)
            {
                text.AppendLine(Line([$"`{row.Method} {Escape(row.Route)}`", .. Callers.Select(c => Cell(row.Expected[c]))]));
            }
        }

        text.Append(web.RenderSection());
        return text.ToString();
    }

    private static string Cell(int status) => status switch
    {
        401 or 403 => $"**{status}**",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };

    internal static string Line(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |";

    internal static string[] Cells(string line) =>
        line.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();

    // A route never holds a pipe, but keep the table sound if one ever does.
    internal static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);

    internal static string Unescape(string cell) => cell.Replace("\\|", "|", StringComparison.Ordinal);
}
