using System.Net;
using Jtai.Strategy.Web.Answering;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.AgencyInvitations;

/// <summary>
/// A signed-in SPOC answers one of the agency's invitations (or changes the answer until the meeting ends): in person,
/// by dial-in, in writing with the written contribution, or declining with a reason. The same fields as the e-mail
/// link's page; the meetings service's signed-in answer API (<c>POST /api/invitations/{id}/answer</c>) decides, and
/// refuses another agency's invitation (403, shown as the status page here).
/// </summary>
public sealed class AnswerInvitationPage(MeetingsApiClient meetings, LondonTime time) : PageModel
{
    /// <summary>The key of the answered meeting's reference, for the invitations page's banner after the redirect.</summary>
    public const string AnsweredKey = "answered-meeting";

    public static readonly IReadOnlyList<string> DeclineReasons = [.. AnswerPage.DeclineReasonLabels.Keys];

    public LondonTime Time { get; } = time;

    public AgencyInvitation Invitation { get; private set; } = null!;

    [BindProperty] public string? Answer { get; set; }
    [BindProperty] public string? WrittenContribution { get; set; }
    [BindProperty] public string? DeclineReason { get; set; }
    [BindProperty] public string? DeclineReasonText { get; set; }

    public List<(string Field, string Message)> Errors { get; } = [];

    /// <summary>A refusal without fields (the meeting has ended or was cancelled), in the service's words.</summary>
    public ApiProblem? Refusal { get; private set; }

    /// <summary>The written contribution the agency already sent for this invitation, if any.</summary>
    public string? SentContribution { get; private set; }

    public AnswerFields FormFields => new(Answer, WrittenContribution, DeclineReason, DeclineReasonText, Errors, DeclineReasons, null);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        // Changing an answer starts from the one given, the written contribution included (read on its own: the
        // invitation API carries no free text).
        Answer = Invitation.Answer;
        DeclineReason = Invitation.DeclineReason;
        WrittenContribution = SentContribution;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        // A browser sends a textarea's line breaks as CR LF: keep them as typed, LF.
        var result = await meetings.AnswerInvitationAsync(
            id, new AnswerForm(Answer, DeclineReason, DeclineReasonText?.ReplaceLineEndings("\n"), WrittenContribution?.ReplaceLineEndings("\n")), cancellationToken);
        if (result.Succeeded)
        {
            TempData[AnsweredKey] = result.Value!.MeetingReference;
            return Redirect("/agency/invitations");
        }

        var problem = result.Problem!;
        if (problem.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return problem.PageResult("meetings API");
        }

        if ((int)problem.Status >= 500)
        {
            throw problem.Failure("meetings API (answer)");
        }

        if (problem.Errors.Count == 0)
        {
            Refusal = problem;
            Response.StatusCode = (int)problem.Status;
            return Page();
        }

        foreach (var field in new[] { AnswerPage.Fields.Answer, AnswerPage.Fields.WrittenContribution, AnswerPage.Fields.DeclineReason, AnswerPage.Fields.DeclineReasonText })
        {
            if (problem.Errors.TryGetValue(field, out var messages) && messages.Length > 0)
            {
                Errors.Add((field, AnswerPage.Friendly(field, messages[0])));
            }
        }

        foreach (var (field, messages) in problem.Errors.Where(e => Errors.All(x => x.Field != e.Key)))
        {
            Errors.Add((AnswerPage.Fields.Answer, messages.FirstOrDefault() ?? field));
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var invitation = await meetings.InvitationAsync(id, cancellationToken);
        if (invitation.Problem is { } problem)
        {
            return problem.PageResult("meetings API");
        }

        Invitation = invitation.Value!;
        if (Invitation.HasWrittenContribution)
        {
            var sent = await meetings.WrittenContributionAsync(id, cancellationToken);
            if (sent.Problem is { } refused)
            {
                return refused.PageResult("meetings API");
            }

            SentContribution = sent.Value!.WrittenContribution;
        }

        return null;
    }
}
