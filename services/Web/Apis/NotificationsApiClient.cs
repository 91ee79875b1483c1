namespace Jtai.Strategy.Web.Apis;

/// <summary>The notifications service's API, called with the signed-in team manager's token.</summary>
public sealed class NotificationsApiClient(HttpClient http)
{
    /// <summary>One page of the notices sent to the team's managers, newest first (the team is the token's).</summary>
    public async Task<ApiResult<ApiPage<TeamNotice>>> ManagerNoticesAsync(PageTrail page, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(page.ApiQuery("api/manager-notices"), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new ApiResult<ApiPage<TeamNotice>>(null, await ApiProblem.ReadAsync(response, cancellationToken));
        }

        var body = await response.Content.ReadFromJsonAsync<NoticesBody>(ApiJson.Options, cancellationToken);
        return new ApiResult<ApiPage<TeamNotice>>(new ApiPage<TeamNotice>(body?.Items ?? [], body is { HasMore: true } ? body.NextCursor : null), null);
    }

    private sealed record NoticesBody(List<TeamNotice> Items, bool HasMore, string? NextCursor);
}

public sealed record TeamNotice(Guid NoticeId, string Kind, Guid MeetingId, string MeetingReference, string? AgencyCode, DateTimeOffset CreatedAt, int Recipients, int Sent, int Failed);
