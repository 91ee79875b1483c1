namespace Jtai.Strategy.Web.Apis;

/// <summary>
/// The SPOC directory's API, called with the signed-in administrator's token: agencies, their SPOCs and deputies
/// (rank 0 is the SPOC, 1, 2, ... the deputies in the order they are tried) and cover periods.
/// </summary>
public sealed class DirectoryApiClient(HttpClient http)
{
    /// <summary>Every agency, read page by page to the end, for a filter by agency: a partnership has tens.</summary>
    public Task<ApiResult<List<DirectoryAgency>>> AllAgenciesAsync(CancellationToken cancellationToken) =>
        ApiCalls.GetAllPagesAsync<DirectoryAgency>(http, "api/agencies", cancellationToken);

    /// <summary>One page of the agencies, by code.</summary>
    public Task<ApiResult<ApiPage<DirectoryAgency>>> AgenciesAsync(PageTrail page, CancellationToken cancellationToken) =>
        ApiCalls.GetPageAsync<DirectoryAgency>(http, page.ApiQuery("api/agencies"), cancellationToken);

    public Task<ApiResult<DirectoryAgency>> AgencyAsync(string code, CancellationToken cancellationToken) =>
        ApiCalls.GetAsync<DirectoryAgency>(http, $"api/agencies/{Uri.EscapeDataString(code)}", cancellationToken);

    /// <summary>Registers a new agency (active from the start; it has no SPOC until one is added).</summary>
    public Task<ApiResult<DirectoryAgency>> RegisterAgencyAsync(AgencyForm form, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<DirectoryAgency>(http, HttpMethod.Post, "api/agencies", form, cancellationToken);

    /// <summary>Renames an agency or changes its kind (the code stays: meetings and figures are kept by it).</summary>
    public Task<ApiResult<DirectoryAgency>> ChangeAgencyAsync(string code, AgencyForm form, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<DirectoryAgency>(http, HttpMethod.Put, $"api/agencies/{Uri.EscapeDataString(code)}", new { form.Name, form.Kind }, cancellationToken);

    /// <summary>Deactivates (false) or reactivates (true) an agency: a deactivated one is not suggested or invited to new meetings.</summary>
    public Task<ApiResult<DirectoryAgency>> SetAgencyActiveAsync(string code, bool active, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<DirectoryAgency>(http, HttpMethod.Post, $"api/agencies/{Uri.EscapeDataString(code)}/{(active ? "reactivate" : "deactivate")}", new { }, cancellationToken);

    /// <summary>One page of the agency's current SPOCs and deputies, by area (agency-wide last), then rank.</summary>
    public Task<ApiResult<ApiPage<DirectorySpoc>>> SpocsAsync(string code, PageTrail page, CancellationToken cancellationToken) =>
        ApiCalls.GetPageAsync<DirectorySpoc>(http, page.ApiQuery($"api/agencies/{Uri.EscapeDataString(code)}/spocs"), cancellationToken);

    /// <summary>Gives the agency a SPOC (rank 0) or a deputy (rank 1 and up).</summary>
    public Task<ApiResult<DirectorySpoc>> AssignSpocAsync(string code, SpocForm form, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<DirectorySpoc>(http, HttpMethod.Post, $"api/agencies/{Uri.EscapeDataString(code)}/spocs", form, cancellationToken);

    public Task<ApiResult<DirectorySpoc>> SpocAsync(Guid id, CancellationToken cancellationToken) =>
        ApiCalls.GetAsync<DirectorySpoc>(http, $"api/spocs/{id}", cancellationToken);

    /// <summary>Changes a SPOC's or deputy's name, contact, area or rank.</summary>
    public Task<ApiResult<DirectorySpoc>> ChangeSpocAsync(Guid id, SpocForm form, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<DirectorySpoc>(http, HttpMethod.Put, $"api/spocs/{id}", form, cancellationToken);

    /// <summary>Retires a SPOC or deputy: no further invitations go to them.</summary>
    public Task<ApiResult<DirectorySpoc>> RetireSpocAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<DirectorySpoc>(http, HttpMethod.Post, $"api/spocs/{id}/retire", new { reason }, cancellationToken);

    /// <summary>A period the SPOC or deputy is away: invitations in it go to the next in rank.</summary>
    public Task<ApiResult<DirectorySpoc>> AddCoverAsync(Guid id, CoverForm form, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<DirectorySpoc>(http, HttpMethod.Post, $"api/spocs/{id}/covers", form, cancellationToken);

    public Task<ApiResult<DirectorySpoc>> RemoveCoverAsync(Guid id, Guid coverId, CancellationToken cancellationToken) =>
        ApiCalls.DeleteAsync<DirectorySpoc>(http, $"api/spocs/{id}/covers/{coverId}", cancellationToken);
}

/// <summary>The meetings service's teams API, called with the signed-in administrator's token: teams, managers and bridges.</summary>
public sealed class TeamsApiClient(HttpClient http)
{
    /// <summary>
    /// Every team's code and name (the MASDG's and the administrator's: no bridges, no managers), read page by page to
    /// the end, for a filter by team: a partnership has tens of teams.
    /// </summary>
    public Task<ApiResult<List<TeamName>>> AllTeamNamesAsync(CancellationToken cancellationToken) =>
        ApiCalls.GetAllPagesAsync<TeamName>(http, "api/team-names", cancellationToken);

    /// <summary>One page of the teams, by code.</summary>
    public Task<ApiResult<ApiPage<TeamDetails>>> TeamsAsync(PageTrail page, CancellationToken cancellationToken) =>
        ApiCalls.GetPageAsync<TeamDetails>(http, page.ApiQuery("api/teams"), cancellationToken);

    public Task<ApiResult<TeamDetails>> TeamAsync(string code, CancellationToken cancellationToken) =>
        ApiCalls.GetAsync<TeamDetails>(http, $"api/teams/{Uri.EscapeDataString(code)}", cancellationToken);

    /// <summary>Creates a team (active, without bridges or managers until they are added).</summary>
    public Task<ApiResult<TeamDetails>> CreateTeamAsync(TeamForm form, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<TeamDetails>(http, HttpMethod.Post, "api/teams", form, cancellationToken);

    /// <summary>Changes a team's name, area, GP pilot and whether it is active (its code stays).</summary>
    public Task<ApiResult<TeamDetails>> ChangeTeamAsync(string code, TeamForm form, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<TeamDetails>(http, HttpMethod.Put, $"api/teams/{Uri.EscapeDataString(code)}", form with { Code = null }, cancellationToken);

    /// <summary>Adds a dial-in bridge the team's meetings may book.</summary>
    public Task<ApiResult<TeamBridge>> AddBridgeAsync(string code, BridgeForm form, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<TeamBridge>(http, HttpMethod.Post, $"api/teams/{Uri.EscapeDataString(code)}/bridges", form, cancellationToken);

    /// <summary>Adds a manager contact, who receives the team's notices.</summary>
    public Task<ApiResult<TeamDetails>> AddManagerAsync(string code, ManagerForm form, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<TeamDetails>(http, HttpMethod.Post, $"api/teams/{Uri.EscapeDataString(code)}/managers", form, cancellationToken);

    /// <summary>Retires a bridge: meetings convened from now on no longer book it (those booked keep it).</summary>
    public Task<ApiResult<TeamBridge>> RetireBridgeAsync(string code, Guid id, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<TeamBridge>(http, HttpMethod.Post, $"api/teams/{Uri.EscapeDataString(code)}/bridges/{id}/retire", new { }, cancellationToken);

    /// <summary>Removes a manager contact: they no longer receive the team's notices.</summary>
    public Task<ApiResult<TeamDetails>> RemoveManagerAsync(string code, string email, CancellationToken cancellationToken) =>
        ApiCalls.DeleteAsync<TeamDetails>(http, $"api/teams/{Uri.EscapeDataString(code)}/managers/{Uri.EscapeDataString(email)}", cancellationToken);
}

/// <summary>A JSON call that gives the value or the API's problem.</summary>
internal static class ApiCalls
{
    public static async Task<ApiResult<T>> GetAsync<T>(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    public static async Task<ApiResult<ApiPage<T>>> GetPageAsync<T>(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return await ApiPage<T>.ReadAsync(response, cancellationToken);
    }

    /// <summary>
    /// Every row of a paged list, read page by page (200 a page, the most the APIs give) to the end: for the lists a
    /// page shows whole (the filters' agencies and teams, the action plan's actions), which hold tens of rows.
    /// </summary>
    public static async Task<ApiResult<List<T>>> GetAllPagesAsync<T>(HttpClient http, string path, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        string? cursor = null;
        do
        {
            var page = await GetPageAsync<T>(http, $"{path}{separator}pageSize=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), cancellationToken);
            if (page.Problem is { } problem)
            {
                return new ApiResult<List<T>>(null, problem);
            }

            rows.AddRange(page.Value!.Items);
            cursor = page.Value.NextCursor;
        }
        while (cursor is not null);

        return new ApiResult<List<T>>(rows, null);
    }

    public static async Task<ApiResult<T>> SendAsync<T>(HttpClient http, HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: ApiJson.Options) };
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    public static async Task<ApiResult<T>> DeleteAsync<T>(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(path, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private static async Task<ApiResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.IsSuccessStatusCode
            ? new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken), null)
            : new ApiResult<T>(default, await ApiProblem.ReadAsync(response, cancellationToken));
}

public sealed record DirectoryAgency(string Code, string Name, string Kind, bool Active);

public sealed record DirectoryCover(Guid CoverId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Reason);

public sealed record DirectorySpoc(Guid SpocId, string AgencyCode, string? Area, string FullName, int Rank, string SecureEmail, string? Phone, bool Active, IReadOnlyList<DirectoryCover> Covers);

public sealed record AgencyForm(string? Code, string? Name, string? Kind);

public sealed record TeamForm(string? Code, string? Name, string? Area, bool GpPilot, bool Active);

public sealed record SpocForm(string? FullName, string? SecureEmail, string? Phone, string? Area, int? Rank);

public sealed record CoverForm(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Reason);

public sealed record TeamBridge(Guid Id, string Label, string DialInNumber, string ConferenceCode, bool Active);

public sealed record TeamManagerContact(string Email, string? FullName, DateTimeOffset AddedAt);

public sealed record TeamDetails(string Code, string Name, string? Area, bool GpPilot, bool Active, IReadOnlyList<TeamBridge> Bridges, IReadOnlyList<TeamManagerContact>? Managers);

public sealed record TeamName(string Code, string Name, bool Active);

public sealed record BridgeForm(string? Label, string? DialInNumber, string? ConferenceCode);

public sealed record ManagerForm(string? Email, string? FullName);
