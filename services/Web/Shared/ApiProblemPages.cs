using System.Net;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web;

/// <summary>
/// One way for every page to answer an API's problem with what the page was to show: a refusal of the user (403) is
/// "You cannot see this page" and 404 the not-found page, both at the page's own address (Shared/Status); anything else
/// is the service failing, which becomes the error page (the exception names the API and its answer, for the log).
/// </summary>
public static class ApiProblemPages
{
    public static IActionResult PageResult(this ApiProblem problem, string api) => problem.Status switch
    {
        HttpStatusCode.Forbidden => Forbidden,
        HttpStatusCode.NotFound => new NotFoundResult(),
        _ => throw problem.Failure(api),
    };

    /// <summary>"You cannot see this page", for a refusal of the user.</summary>
    public static StatusCodeResult Forbidden => new(StatusCodes.Status403Forbidden);

    /// <summary>The exception for an answer the page cannot show to the user (a 5xx, or a refusal it did not expect).</summary>
    public static HttpRequestException Failure(this ApiProblem problem, string api) =>
        new($"The {api} answered {(int)problem.Status} {problem.Title}.");
}
