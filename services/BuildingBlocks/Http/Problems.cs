using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jtai.Strategy.BuildingBlocks.Http;

/// <summary>
/// The one way an endpoint answers with an error other than field validation (which is
/// <c>TypedResults.ValidationProblem</c>): an RFC 9457 problem whose title a person can act on and whose detail names
/// the thing concerned. The problem-details service adds the instance and trace id to each.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);

    public static ProblemHttpResult NotFound(string title, string detail) => Of(StatusCodes.Status404NotFound, title, detail);

    public static ProblemHttpResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Of(StatusCodes.Status409Conflict, title, detail, extensions);

    public static ProblemHttpResult Gone(string title, string detail) => Of(StatusCodes.Status410Gone, title, detail);

    public static ProblemHttpResult PayloadTooLarge(long maxBytes) => Of(
        StatusCodes.Status413PayloadTooLarge, "Request too large", $"The request body may hold at most {maxBytes} bytes.");

    public static ProblemHttpResult UnsupportedMediaType() => Of(
        StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "Send the body as JSON (Content-Type: application/json).");
}
