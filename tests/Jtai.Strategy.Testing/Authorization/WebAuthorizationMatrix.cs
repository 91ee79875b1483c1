using System.Text;
using Xunit;

namespace Jtai.Strategy.Testing.Authorization;

/// <summary>
/// The web service's pages and endpoints × every caller, kept as a Markdown table a reviewer reads
/// (<c>tests/Jtai.Strategy.Web.Tests/authorization-matrix.md</c>), and its section of <c>docs/authorization.md</c>.
/// A row: method, route (as the web service maps it; a page's named POST handler as <c>?handler=Name</c>), the
/// request to send (the route with the scene's values), then one answer per caller: the status, and for a redirect
/// where it goes (<c>302 sign-in</c> is the challenge to the identity provider, <c>302 /forbidden</c> the
/// access-denied page, another path as it is).
/// </summary>
public sealed class WebAuthorizationMatrix(IReadOnlyList<WebAuthorizationMatrix.Row> rows)
{
    private static readonly string[] Fixed = ["method", "route", "request"];

    public static readonly string[] Callers =
        ["not signed in", "Spoc, other agency", "TeamManager, other team", "Masdg", "Spoc, own agency", "TeamManager, own team", "Administrator"];

    public sealed record Row(string Method, string Route, string Request, IReadOnlyDictionary<string, string> Expected)
    {
        public override string ToString() => $"{Method} {Route}";
    }

    public IReadOnlyList<Row> Rows { get; } = rows;

    public Row? Find(string method, string route) => Rows.SingleOrDefault(r => r.Method == method && r.Route == route);

    public static WebAuthorizationMatrix Read(string file)
    {
        if (!File.Exists(file))
        {
            return new WebAuthorizationMatrix([]);
        }

        var table = File.ReadAllLines(file).Where(l => l.StartsWith('|')).Select(AuthorizationMatrix.Cells).ToList();
        if (table.Count == 0)
        {
            return new WebAuthorizationMatrix([]);
        }

        Assert.Equal([.. Fixed, .. Callers], table[0]);
        return new WebAuthorizationMatrix(table.Skip(2).Select(cells => new Row(
            cells[0], AuthorizationMatrix.Unescape(cells[1]), AuthorizationMatrix.Unescape(cells[2]),
            Callers.Select((c, i) => (c, Answer: cells[Fixed.Length + i])).ToDictionary(x => x.c, x => x.Answer))).ToList());
    }

    /// <summary>One row as it stands in the table: what a failure asks to add for a page without one.</summary>
    public static string RenderRow(Row row) =>
        AuthorizationMatrix.Line([row.Method, AuthorizationMatrix.Escape(row.Route), AuthorizationMatrix.Escape(row.Request), .. Callers.Select(c => row.Expected.GetValueOrDefault(c, "?"))]);

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("# Authorization matrix of the web service (the expected answer of every page for every caller)");
        text.AppendLine();
        text.AppendLine("Read by `WebAuthorizationMatrixTests`, which signs each example user in through the development identity provider");
        text.AppendLine("(plain HTTP, the OpenID Connect code flow through its sign-in form) and requests every page and endpoint of the running");
        text.AppendLine("web service (its endpoint data source: a page, page handler or endpoint without a row fails the test, naming the row");
        text.AppendLine("to add). `request` is what is sent: the route with the scene's values (`{meeting}` the own team's meeting,");
        text.AppendLine("`{invitation}` its invitation to the own agency, `{team}` the own team, `{agency}` the own agency, `{spoc}` the own");
        text.AppendLine("agency's SPOC, `{bridge}` a bridge in use of the own team, `{manager}` a manager contact of the own team (added for the");
        text.AppendLine("run), `{random}` an id nothing has). POSTs are sent as an empty form without the antiforgery token: none may change");
        text.AppendLine("anything. An answer is the status, and for a redirect where it goes (`sign-in`: the identity provider).");
        text.AppendLine("`docs/authorization.md` is generated from this table and the APIs' one.");
        text.AppendLine();
        text.AppendLine(AuthorizationMatrix.Line([.. Fixed, .. Callers]));
        text.AppendLine(AuthorizationMatrix.Line([.. Fixed.Concat(Callers).Select(_ => "---")]));
        foreach (var row in Rows)
        {
            text.AppendLine(RenderRow(row));
        }

        return text.ToString();
    }

    /// <summary>The web service's section of <c>docs/authorization.md</c>.</summary>
    public string RenderSection()
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("## The web service");
        text.AppendLine();
        text.AppendLine("Its pages call the APIs above with the signed-in user's token, so an API's refusal stands behind every page. The");
        text.AppendLine("callers are the development identity provider's example users, signed in over HTTP: `manager.easington` (own");
        text.AppendLine("team), `manager.derwentside` (other team), `spoc.police` (own agency), `spoc.health` (other agency, left out of the");
        text.AppendLine("scene's meeting), `masdg`, `admin`. POSTs carry no antiforgery token, so none changes anything (the test compares the");
        text.AppendLine("scene before and after). The test fails if any answer to a caller not signed in, another team or another agency");
        text.AppendLine("contains the scene's meeting id, reference, case reference or invitation id. Static files (styles, scripts, fonts)");
        text.AppendLine("are served to anyone and are not listed.");
        text.AppendLine();
        text.AppendLine("**302 sign-in** sent to the identity provider · **302 /forbidden** signed in without the role · **403** the");
        text.AppendLine("status page (\"You cannot see this page\": the API refused) · **400** refused (no antiforgery token, or a bad");
        text.AppendLine("request) · **404** not found · **200** shown.");
        text.AppendLine();
        text.AppendLine(AuthorizationMatrix.Line(["page or endpoint", .. Callers]));
        text.AppendLine(AuthorizationMatrix.Line([.. Enumerable.Repeat("---", Callers.Length + 1)]));
        foreach (var row in Rows)
        {
            text.AppendLine(AuthorizationMatrix.Line([$"`{row.Method} {AuthorizationMatrix.Escape(row.Route)}`", .. Callers.Select(c => Cell(row.Expected[c]))]));
        }

        return text.ToString();
    }

    // Refusals stand out, as on the APIs' tables.
    private static string Cell(string answer) =>
        answer is "302 sign-in" or "302 /forbidden" || answer.StartsWith('4') ? $"**{answer}**" : answer;
}
