namespace Jtai.Strategy.Web.Answering;

/// <summary>
/// What the answer form's fields show (Answering/_AnswerFields.cshtml): the values given, the errors at them, the
/// decline reasons offered. The same fields serve the e-mail link's page and the signed-in SPOC's page, which send the
/// same request to the meetings service.
/// </summary>
public sealed record AnswerFields(
    string? Answer,
    string? WrittenContribution,
    string? DeclineReason,
    string? DeclineReasonText,
    IReadOnlyList<(string Field, string Message)> Errors,
    IReadOnlyList<string> DeclineReasons,
    int? MaxWrittenContributionLength)
{
    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    public string? Described(string field, string? hintId) =>
        string.Join(' ', new[] { hintId, ErrorFor(field) is null ? null : field + "-error" }.Where(x => x is not null)) is { Length: > 0 } ids ? ids : null;
}
