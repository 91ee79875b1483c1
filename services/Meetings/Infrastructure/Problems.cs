using Microsoft.AspNetCore.Http.HttpResults;

namespace Jtai.Strategy.Meetings.Infrastructure;

/// <summary>RFC 9457 problems with a title a person can act on; shared by every capability's endpoints.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string what) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: what);

    public static ProblemHttpResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: 409, title: title, detail: detail, extensions: extensions);

    public static ProblemHttpResult Gone(string title, string detail) => TypedResults.Problem(statusCode: 410, title: title, detail: detail);

    public static ProblemHttpResult LinkInvalid() => TypedResults.Problem(
        statusCode: 400,
        title: "Link invalid",
        detail: "This response link is not valid. Use the link exactly as it arrived in the invitation, or sign in to answer.");
}
