using System.Net;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web;

/// <summary>
/// What a team manager's form about a meeting shares (reschedule, cancel, a decision not to convene): the meetings
/// service decides, and its problem shows as GOV.UK's error summary: field errors at their fields (a missing answer in
/// the page's words, any other in the service's), a refusal without fields (no free bridge, already held) as the
/// summary's title and the service's explanation.
/// </summary>
public abstract class MeetingForm : PageModel
{
    public List<(string Field, string Message)> Errors { get; } = [];

    public ApiProblem? Refusal { get; private set; }

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    /// <summary>The form's fields in page order: their ids, the API's names for them, and the words for a missing answer.</summary>
    protected abstract IReadOnlyList<(string Id, string ApiName, string Missing)> Fields { get; }

    /// <summary>Takes in the API's problem; false when it was a refusal of the user (403), which the caller turns into the forbidden page.</summary>
    protected bool Show(ApiProblem problem)
    {
        if (problem.Status == HttpStatusCode.Forbidden)
        {
            return false;
        }

        if ((int)problem.Status >= 500)
        {
            throw problem.Failure("meetings API");
        }

        foreach (var (key, messages) in problem.Errors)
        {
            var field = Fields.FirstOrDefault(f => string.Equals(f.ApiName, key, StringComparison.OrdinalIgnoreCase));
            var id = field.Id ?? Fields[0].Id;
            var message = messages.FirstOrDefault() ?? key;
            // A date this page could not read went as missing: its own message (already listed) says more than "required".
            if (Errors.All(e => e.Field != id))
            {
                Errors.Add((id, field.Missing is { } missing && message.Contains("is required", StringComparison.Ordinal) ? missing : message));
            }
        }

        var order = Fields.Select(f => f.Id).ToList();
        Errors.Sort((a, b) => Rank(a.Field).CompareTo(Rank(b.Field)));
        if (Errors.Count == 0)
        {
            Refusal = problem;
        }

        Response.StatusCode = Errors.Count > 0 ? StatusCodes.Status400BadRequest : (int)problem.Status;
        return true;

        int Rank(string field) => order.IndexOf(field) is var i and >= 0 ? i : int.MaxValue;
    }

    /// <summary>A date and time typed as UK time; one that does not read is an error here (and goes to the API as missing).</summary>
    protected DateTimeOffset? Typed(LondonTime time, string field, string? date, string? clock, string what)
    {
        if (string.IsNullOrWhiteSpace(date) && string.IsNullOrWhiteSpace(clock))
        {
            return null;
        }

        var at = time.FromTyped(date, clock);
        if (at is null)
        {
            Errors.Add((field, $"Enter {what} as a date like 3/12/2026 and a time like 14:30"));
        }

        return at;
    }

    protected static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A GOV.UK select with its label, hint and error.</summary>
public sealed record SelectField(string Id, string Name, string Label, IReadOnlyList<(string Value, string Label)> Options, string? Selected, string? Error, string? Hint = null);

/// <summary>A date and a time typed as UK time, as on the convene form.</summary>
public sealed record DateTimeField(string Id, string DateName, string? Date, string TimeName, string? Time, string Legend, string? Error);

/// <summary>A GOV.UK textarea with its label, hint and error.</summary>
public sealed record TextAreaField(string Id, string Name, string Label, string? Value, string? Error, string? Hint = null, int Rows = 3);
