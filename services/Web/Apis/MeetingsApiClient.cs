namespace Jtai.Strategy.Web.Apis;

/// <summary>The meetings service's API, called with the signed-in user's token (a team manager's, here).</summary>
public sealed class MeetingsApiClient(HttpClient http)
{
    /// <summary>
    /// One page of the team's meetings: upcoming (from yesterday on, soonest first) or past (started before yesterday,
    /// latest first), in the API's order (scheduled start, then id); <paramref name="page"/> carries the page size and cursor.
    /// </summary>
    public async Task<ApiResult<ApiPage<MeetingListItem>>> TeamMeetingsAsync(bool past, PageTrail page, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(page.ApiQuery(past ? "api/meetings?when=past" : "api/meetings?when=upcoming"), cancellationToken);
        return await ApiPage<MeetingListItem>.ReadAsync(response, cancellationToken);
    }

    /// <summary>The response board of one meeting: per agency, the recipient, delivery and answer.</summary>
    public Task<ApiResult<Board>> BoardAsync(Guid meetingId, CancellationToken cancellationToken) =>
        GetAsync<Board>($"api/meetings/{meetingId}/board", cancellationToken);

    /// <summary>
    /// One page of the signed-in SPOC's agency's invitations to meetings that end from <paramref name="from"/>, soonest
    /// first (the API decides the agency from the token, and orders by scheduled start, then id).
    /// </summary>
    public async Task<ApiResult<ApiPage<AgencyInvitation>>> AgencyInvitationsAsync(DateTimeOffset from, PageTrail page, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(page.ApiQuery($"api/invitations?from={Uri.EscapeDataString(from.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}"), cancellationToken);
        return await ApiPage<AgencyInvitation>.ReadAsync(response, cancellationToken);
    }

    /// <summary>
    /// One page of the records circulated to the signed-in SPOC's agency (meetings that ended in the last 90 days),
    /// latest circulation first (the API decides the agency from the token; an amendment brings its record to the top).
    /// </summary>
    public async Task<ApiResult<ApiPage<CirculatedListItem>>> CirculatedRecordsAsync(PageTrail page, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(page.ApiQuery("api/circulated-records"), cancellationToken);
        return await ApiPage<CirculatedListItem>.ReadAsync(response, cancellationToken);
    }

    /// <summary>A circulated record as the SPOC of an invited agency reads it: one version (the latest unless asked) and the list of versions.</summary>
    public Task<ApiResult<CirculatedRecord>> CirculatedRecordAsync(Guid meetingId, int? version, CancellationToken cancellationToken) =>
        GetAsync<CirculatedRecord>($"api/circulated-records/{meetingId}" + (version is { } v ? $"?version={v}" : ""), cancellationToken);

    /// <summary>One of the signed-in SPOC's agency's invitations (the API refuses another agency's: 403).</summary>
    public Task<ApiResult<AgencyInvitation>> InvitationAsync(Guid invitationId, CancellationToken cancellationToken) =>
        GetAsync<AgencyInvitation>($"api/invitations/{invitationId}", cancellationToken);

    /// <summary>The written contribution sent for one invitation (its agency's SPOC or the convening team's manager only).</summary>
    public Task<ApiResult<SentContribution>> WrittenContributionAsync(Guid invitationId, CancellationToken cancellationToken) =>
        GetAsync<SentContribution>($"api/invitations/{invitationId}/written-contribution", cancellationToken);

    /// <summary>The signed-in SPOC answers for the agency (and may change the answer until the meeting ends).</summary>

    public Task<ApiResult<Answering.AnswerGiven>> AnswerInvitationAsync(Guid invitationId, Answering.AnswerForm answer, CancellationToken cancellationToken) =>
        SendAsync<Answering.AnswerGiven>(HttpMethod.Post, $"api/invitations/{invitationId}/answer", answer, cancellationToken);

    /// <summary>The agencies the suggestion rules name for these case facts, each with the rule behind it.</summary>
    public Task<ApiResult<List<Suggestion>>> SuggestAsync(CaseFactsForm facts, CancellationToken cancellationToken) =>
        SendAsync<List<Suggestion>>(HttpMethod.Post, "api/meetings/suggestions", facts, cancellationToken);

    /// <summary>Convenes the meeting: the meetings service books a bridge and issues the invitations.</summary>
    public Task<ApiResult<Meeting>> ConveneAsync(ConveneForm form, CancellationToken cancellationToken) =>
        SendAsync<Meeting>(HttpMethod.Post, "api/meetings", form, cancellationToken);

    /// <summary>One meeting as the meetings service keeps it (its team's managers only).</summary>
    public Task<ApiResult<Meeting>> MeetingAsync(Guid meetingId, CancellationToken cancellationToken) =>
        GetAsync<Meeting>($"api/meetings/{meetingId}", cancellationToken);

    /// <summary>Moves a scheduled, unrecorded meeting (a bridge free at the new time); the invitees are asked again.</summary>
    public Task<ApiResult<Meeting>> RescheduleAsync(Guid meetingId, RescheduleForm form, CancellationToken cancellationToken) =>
        SendAsync<Meeting>(HttpMethod.Post, $"api/meetings/{meetingId}/reschedule", form, cancellationToken);

    /// <summary>Cancels a scheduled, unrecorded meeting: every standing invitation is withdrawn and its agency told.</summary>
    public Task<ApiResult<Meeting>> CancelAsync(Guid meetingId, CancelForm form, CancellationToken cancellationToken) =>
        SendAsync<Meeting>(HttpMethod.Post, $"api/meetings/{meetingId}/cancel", form, cancellationToken);

    /// <summary>Records a decision not to convene for the manager's team (coded, so thresholds compare across teams).</summary>
    public Task<ApiResult<DecisionNotToConvene>> RecordDecisionNotToConveneAsync(DecisionNotToConveneForm form, CancellationToken cancellationToken) =>
        SendAsync<DecisionNotToConvene>(HttpMethod.Post, "api/decisions-not-to-convene", form, cancellationToken);

    /// <summary>The manager's team's decisions not to convene, latest decision first (the API's order; its latest 500, unpaged).</summary>
    public async Task<ApiResult<ApiPage<DecisionNotToConvene>>> DecisionsNotToConveneAsync(PageTrail page, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(page.ApiQuery("api/decisions-not-to-convene"), cancellationToken);
        return await ApiPage<DecisionNotToConvene>.ReadAsync(response, cancellationToken);
    }

    /// <summary>The record of the held meeting, its agreed actions and circulations (a 404 problem until recorded).</summary>
    public Task<ApiResult<MeetingRecord>> RecordAsync(Guid meetingId, CancellationToken cancellationToken) =>
        GetAsync<MeetingRecord>($"api/meetings/{meetingId}/record", cancellationToken);

    /// <summary>Records the held meeting (or corrects the record until it is circulated).</summary>
    public Task<ApiResult<MeetingRecord>> SaveRecordAsync(Guid meetingId, RecordForm form, CancellationToken cancellationToken) =>
        SendAsync<MeetingRecord>(HttpMethod.Put, $"api/meetings/{meetingId}/record", form, cancellationToken);

    /// <summary>Replaces the agreed actions (the whole list) until they are first circulated.</summary>
    public Task<ApiResult<MeetingRecord>> SaveActionsAsync(Guid meetingId, IReadOnlyList<ActionForm> actions, CancellationToken cancellationToken) =>
        SendAsync<MeetingRecord>(HttpMethod.Put, $"api/meetings/{meetingId}/record/actions", new { actions }, cancellationToken);

    /// <summary>Amends the circulated actions: the complete new list and why, circulated at once as the next version.</summary>
    public Task<ApiResult<Circulation>> AmendAsync(Guid meetingId, string? reason, IReadOnlyList<ActionForm> actions, CancellationToken cancellationToken) =>
        SendAsync<Circulation>(HttpMethod.Post, $"api/meetings/{meetingId}/record/amendments", new { reason, actions }, cancellationToken);

    /// <summary>Circulates the record and agreed actions to every invited agency.</summary>
    public Task<ApiResult<Circulation>> CirculateAsync(Guid meetingId, CancellationToken cancellationToken) =>
        SendAsync<Circulation>(HttpMethod.Post, $"api/meetings/{meetingId}/record/circulations", new { }, cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: ApiJson.Options) };
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode
            ? new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken), null)
            : new ApiResult<T>(default, await ApiProblem.ReadAsync(response, cancellationToken));
    }

    private async Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return response.IsSuccessStatusCode
            ? new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken), null)
            : new ApiResult<T>(default, await ApiProblem.ReadAsync(response, cancellationToken));
    }
}

/// <summary>One meeting of the team's list; the circulation deadline and standing (Due, Overdue, CirculatedOnTime, CirculatedLate) once recorded as held.</summary>
public sealed record MeetingListItem(
    Guid Id, string Reference, string Status, DateTimeOffset ScheduledStart, DateTimeOffset ScheduledEnd, bool ConvenedBeyondLimit, int Invited, int Answered,
    DateTimeOffset? CirculationDeadline = null, string? Circulation = null);

public sealed record Board(Guid MeetingId, string Reference, string Status, DateTimeOffset ScheduledStart, DateTimeOffset ScheduledEnd, IReadOnlyList<BoardRow> Agencies);

public sealed record BoardRow(
    string AgencyCode,
    string AgencyName,
    bool Invited,
    string? RemovalReason,
    string? NotIssuedReason,
    string? RecipientName,
    string? RecipientRole,
    string? Status,
    string? DeliveryState,
    string? DeliveryFailure,
    DateTimeOffset? RespondBy,
    DateTimeOffset? RemindedAt,
    bool EscalationExhausted,
    string? Answer,
    string? DeclineReason,
    string? DeclineReasonText,
    string? WrittenContribution,
    DateTimeOffset? AnsweredAt,
    bool? AnsweredWithinLimit,
    bool AnsweredByLink,
    IReadOnlyList<PreviousRecipient>? Previously = null,
    DateTimeOffset? IssuedAt = null,
    DateTimeOffset? DeliveryUpdatedAt = null);

/// <summary>Who had the agency's invitation before the current recipient: passed to a deputy (no answer, not delivered) or replaced.</summary>
public sealed record PreviousRecipient(
    string RecipientName,
    string RecipientRole,
    string? SupersededReason,
    string DeliveryState,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? DeliveryUpdatedAt,
    DateTimeOffset? RemindedAt);

public sealed record AgencyInvitation(
    Guid InvitationId,
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    string AgencyCode,
    string RecipientName,
    string Status,
    string MeetingStatus,
    DateTimeOffset ScheduledStart,
    DateTimeOffset ScheduledEnd,
    string DialInNumber,
    string Pin,
    DateTimeOffset RespondBy,
    string? Answer,
    bool HasWrittenContribution,
    string? ConferenceCode = null,
    string? DeclineReason = null);

/// <summary>What an agency sent in writing for one invitation (null until it sent something).</summary>
public sealed record SentContribution(Guid InvitationId, string MeetingReference, string AgencyCode, string? Answer, string? WrittenContribution, DateTimeOffset? AnsweredAt);

public sealed record CaseFactsForm(string? AgeBand, bool UnbornChild, bool AdultKnownToProbation, bool KnownToYos, string? ReferrerAgencyCode, string? ConcernCategory);

public sealed record Suggestion(string AgencyCode, string AgencyName, string Kind, string Role, bool Minimum, string Reason);

public sealed record RemovalForm(string AgencyCode, string? Reason, string? ReasonText);

public sealed record ConveneForm(
    string? CaseReference,
    string? ConcernCategory,
    DateTimeOffset? IncidentAt,
    DateTimeOffset? DecisionAt,
    string? ThresholdReason,
    string? ThresholdReasonText,
    DateTimeOffset? ScheduledStart,
    int? LengthMinutes,
    string? DelayReason,
    string? DelayReasonText,
    CaseFactsForm CaseFacts,
    IReadOnlyList<string> AddAgencies,
    IReadOnlyList<RemovalForm> RemoveAgencies);

public sealed record Meeting(
    Guid Id,
    string Reference,
    string TeamCode,
    string Status,
    DateTimeOffset ScheduledStart,
    DateTimeOffset ScheduledEnd,
    string DialInNumber,
    string ConferenceCode,
    bool ConvenedBeyondLimit,
    IReadOnlyList<AgencyConsidered> Agencies,
    IReadOnlyList<NotInvitedAgency> NotInvited,
    IReadOnlyList<string> MinimumNotCovered,
    IReadOnlyList<string>? NoticesUndeliverable);

public sealed record RescheduleForm(DateTimeOffset? ScheduledStart, int? LengthMinutes, string? Reason, string? ReasonText, string? DelayReason, string? DelayReasonText);

public sealed record CancelForm(string? Reason, string? ReasonText);

public sealed record DecisionNotToConveneForm(string? CaseReference, string? ConcernCategory, string? Reason, string? ReasonText, DateTimeOffset? DecidedAt);

public sealed record DecisionNotToConvene(Guid Id, string TeamCode, string CaseReference, string ConcernCategory, string Reason, string? ReasonText, DateTimeOffset DecidedAt);

public sealed record AgencyConsidered(string AgencyCode, string AgencyName, string Kind, string Source, string Reason, bool Invited, string? RemovalReason, string? RemovalReasonText, string? NotIssuedReason);

public sealed record NotInvitedAgency(string AgencyCode, string Reason);

public sealed record AttendanceForm(string AgencyCode, string? Mode, bool WithApologies);

public sealed record RecordForm(
    DateTimeOffset? ActualStart,
    DateTimeOffset? ActualEnd,
    string? ChairName,
    string? ChairAgencyCode,
    IReadOnlyList<AttendanceForm> Attendance,
    string? BelowMinimumReason,
    string? BelowMinimumReasonText,
    bool? SectionFortySevenEnquiry,
    string? Investigation,
    string? ImmediateSafetyActions,
    string? FamilyTold,
    string? ChildViews,
    string? ChildViewsText,
    string? EndCorrectionReason = null);

public sealed record ActionForm(string? Description, string? OwnerAgencyCode, DateOnly? DueDate, string Status = "Open");

public sealed record MeetingRecord(
    Guid MeetingId,
    string Reference,
    DateTimeOffset ActualStart,
    DateTimeOffset ActualEnd,
    string ChairName,
    string ChairAgencyCode,
    IReadOnlyList<RecordedAttendance> Attendance,
    bool BelowNationalMinimum,
    bool SectionFortySevenEnquiry,
    string ChildViews,
    DateTimeOffset CirculationDeadline,
    string Circulation,
    IReadOnlyList<RecordedAction> Actions,
    IReadOnlyList<Circulation> Circulations,
    string? BelowMinimumReason = null,
    string? BelowMinimumReasonText = null,
    string? Investigation = null,
    string? ImmediateSafetyActions = null,
    string? FamilyTold = null,
    string? ChildViewsText = null,
    DateTimeOffset? CirculationDeadlineFixedAt = null);

public sealed record RecordedAttendance(string AgencyCode, string AgencyName, string Mode, bool WithApologies);

public sealed record RecordedAction(int Number, string Description, string OwnerAgencyCode, DateOnly DueDate, string Status);

public sealed record Circulation(int Version, DateTimeOffset CirculatedAt, bool OnTime, string? AmendmentReason, IReadOnlyList<CirculationRecipient> Recipients, IReadOnlyList<RecordedAction>? Actions = null);

public sealed record CirculationRecipient(string AgencyCode, string AgencyName, string? RecipientName, string Delivery, bool NoRecipientLeft);

public sealed record CirculatedListItem(Guid MeetingId, string Reference, string TeamCode, DateTimeOffset ActualEnd, int LatestVersion, DateTimeOffset LatestCirculatedAt, int ActionCount, int OwnActionCount);

/// <summary>What an invited agency's SPOC reads of a circulated record: the meeting, one version of the actions, and every version.</summary>
public sealed record CirculatedRecord(
    Guid MeetingId,
    string Reference,
    string TeamCode,
    string CaseReference,
    DateTimeOffset ActualStart,
    DateTimeOffset ActualEnd,
    string ChairName,
    string ChairAgencyCode,
    IReadOnlyList<RecordedAttendance> Attendance,
    bool BelowNationalMinimum,
    bool SectionFortySevenEnquiry,
    string? Investigation,
    DateOnly? InitialConferenceDueBy,
    string ImmediateSafetyActions,
    string FamilyTold,
    string ChildViews,
    string? ChildViewsText,
    int Version,
    DateTimeOffset CirculatedAt,
    string? AmendmentReason,
    IReadOnlyList<RecordedAction> Actions,
    IReadOnlyList<CirculatedVersion> Versions);

public sealed record CirculatedVersion(int Version, DateTimeOffset CirculatedAt, string? AmendmentReason);
