using System.Net;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// What the administrator's pages share: the API decides (validation, rank conflicts, duplicates), and its problem
/// shows as GOV.UK's error summary: field errors at their fields in the words of this page, a refusal without fields
/// (e.g. "rank taken") as the summary's title and the API's explanation.
/// </summary>
public abstract class AdministrationForm : PageModel
{
    public List<(string Field, string Message)> Errors { get; } = [];

    public ApiProblem? Refusal { get; private set; }

    /// <summary>Which form on the page the errors belong to (a page may have two).</summary>
    public string? FailedForm { get; private set; }

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    /// <summary>Page-specific words for the API's fields, in the order of the form: API name, field id, message.</summary>
    protected abstract IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages { get; }

    /// <summary>Takes in the API's problem; false when it was a refusal of the user (403), which the caller turns into the forbidden page.</summary>
    protected bool Show(ApiProblem problem, string form)
    {
        if (problem.Status == HttpStatusCode.Forbidden)
        {
            return false;
        }

        if ((int)problem.Status >= 500)
        {
            throw problem.Failure("API");
        }

        FailedForm = form;
        foreach (var (apiName, id, message) in FieldMessages)
        {
            if (problem.Errors.Keys.Any(k => string.Equals(k, apiName, StringComparison.OrdinalIgnoreCase)))
            {
                Errors.Add((id, message));
            }
        }

        // Errors this page has no words for keep the API's own.
        foreach (var (key, messages) in problem.Errors)
        {
            if (!FieldMessages.Any(f => string.Equals(f.ApiName, key, StringComparison.OrdinalIgnoreCase)))
            {
                Errors.Add((FieldMessages.FirstOrDefault().Id ?? key, messages.FirstOrDefault() ?? key));
            }
        }

        if (Errors.Count == 0)
        {
            Refusal = problem;
        }

        Response.StatusCode = Errors.Count > 0 ? StatusCodes.Status400BadRequest : (int)problem.Status;
        return true;
    }

    /// <summary>
    /// A confirmation page's answer to the API's problem with the change: 404 for what is no longer there, the
    /// forbidden page for a refusal of the user, else the page again (read anew by <paramref name="reload"/>) with the
    /// problem shown.
    /// </summary>
    protected async Task<IActionResult> ShowRefusalAsync(ApiProblem problem, string form, Func<Task<IActionResult?>> reload)
    {
        if (problem.Status == HttpStatusCode.NotFound)
        {
            return NotFound();
        }

        if (!Show(problem, form))
        {
            return ApiProblemPages.Forbidden;
        }

        return await reload() ?? Page();
    }
}
