using Jtai.Strategy.Web.Apis;

namespace Jtai.Strategy.Web.Answering;

/// <summary>
/// The meetings service's answer-by-link API, anonymous: the signed token in the path is the only credential, and
/// the meetings service alone decides whether it stands (signature, expiry, single use, replaced or withdrawn).
/// </summary>
public sealed class ResponseLinkClient(HttpClient http)
{
    public async Task<ApiResult<ResponsePage>> ShowAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Path(token));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode
            ? new ApiResult<ResponsePage>(await response.Content.ReadFromJsonAsync<ResponsePage>(ApiJson.Options, cancellationToken), null)
            : new ApiResult<ResponsePage>(null, await ApiProblem.ReadAsync(response, cancellationToken));
    }

    public async Task<ApiResult<AnswerGiven>> AnswerAsync(string token, AnswerForm answer, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(Path(token), answer, ApiJson.Options, cancellationToken);
        return response.IsSuccessStatusCode
            ? new ApiResult<AnswerGiven>(await response.Content.ReadFromJsonAsync<AnswerGiven>(ApiJson.Options, cancellationToken), null)
            : new ApiResult<AnswerGiven>(null, await ApiProblem.ReadAsync(response, cancellationToken));
    }

    // The token is base64url: safe in a path segment, escaped anyway in case a link was mangled.
    private static string Path(string token) => "respond/" + Uri.EscapeDataString(token);
}

public sealed record ResponsePage(
    string MeetingReference,
    string TeamName,
    string AgencyName,
    string RecipientName,
    DateTimeOffset ScheduledStart,
    DateTimeOffset ScheduledEnd,
    string DialInNumber,
    string ConferenceCode,
    string Pin,
    DateTimeOffset RespondBy,
    IReadOnlyList<string> Answers,
    IReadOnlyList<string> DeclineReasons,
    int MaxWrittenContributionLength,
    bool HasWrittenContribution = false);

/// <summary>The meetings API's answer request (its field names are the keys of its validation errors).</summary>
public sealed record AnswerForm(string? Answer, string? DeclineReason, string? DeclineReasonText, string? WrittenContribution);

public sealed record AnswerGiven(Guid InvitationId, string MeetingReference, string Answer, bool HasWrittenContribution, DateTimeOffset AnsweredAt, bool AnsweredWithinLimit);
