using System.Net;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Answering;

/// <summary>
/// The page an invitation e-mail's answer link opens (the meetings service sends a browser here, with the same
/// signed token): the meeting's reference, time, dial-in and PIN, whether the agency already sent a written contribution
/// (the text only signed in: it is case data, and a link is no sign-in), and the answer form. No sign-in: the token is the
/// credential, and the meetings service checks it on every read and on the answer. Errors come back from its
/// validation and show as GOV.UK error messages on the fields they name.
/// </summary>
public sealed class AnswerPage(ResponseLinkClient links, LondonTime time) : PageModel
{
    /// <summary>The answers in the order the form offers them, with the words it uses.</summary>
    public static readonly IReadOnlyList<(string Value, string Label, string? Hint)> AnswerChoices =
    [
        ("AttendInPerson", "In person", null),
        ("AttendByDialIn", "By dial-in", "Use the number and PIN above at the meeting's start."),
        ("ContributeInWriting", "In writing", "You cannot attend: send what your agency knows instead."),
        ("Decline", "Decline", "Your agency will not take part."),
    ];

    public static readonly IReadOnlyDictionary<string, string> DeclineReasonLabels = new Dictionary<string, string>
    {
        ["NoInvolvementWithFamily"] = "We have no involvement with the family",
        ["NoInformationHeld"] = "We hold no information about the child or family",
        ["NoOneAvailable"] = "No one is available",
        ["Other"] = "Another reason",
    };

    /// <summary>The form's field ids, which are also the meetings API's field names (the keys of its errors).</summary>
    public static class Fields
    {
        public const string Answer = "answer";
        public const string WrittenContribution = "writtenContribution";
        public const string DeclineReason = "declineReason";
        public const string DeclineReasonText = "declineReasonText";
    }

    public LondonTime Time { get; } = time;

    [BindProperty(SupportsGet = false)]
    public string? Answer { get; set; }

    [BindProperty]
    public string? WrittenContribution { get; set; }

    [BindProperty]
    public string? DeclineReason { get; set; }

    [BindProperty]
    public string? DeclineReasonText { get; set; }

    public ResponsePage? Invitation { get; private set; }

    /// <summary>Why the link cannot be used (expired, used, replaced, invalid), in the meetings service's words.</summary>
    public ApiProblem? Refusal { get; private set; }

    /// <summary>Field errors in the order of the form, for the error summary.</summary>
    public List<(string Field, string Message)> Errors { get; } = [];

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    /// <summary>The form's fields as given, with their errors (Answering/_AnswerFields.cshtml).</summary>
    public AnswerFields FormFields(IReadOnlyList<string> declineReasons, int? maxWrittenContributionLength) =>
        new(Answer, WrittenContribution, DeclineReason, DeclineReasonText, Errors, declineReasons, maxWrittenContributionLength);

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken) =>
        await LoadAsync(token, cancellationToken) ? Page() : Refused();

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        // A browser sends a textarea's line breaks as CR LF (the HTML form encoding): keep them as typed, LF.
        var result = await links.AnswerAsync(
            token, new AnswerForm(Answer, DeclineReason, DeclineReasonText?.ReplaceLineEndings("\n"), WrittenContribution?.ReplaceLineEndings("\n")), cancellationToken);
        if (result.Succeeded)
        {
            // Post, redirect, get: the confirmation is its own page (the link is spent now, so it cannot show the form again).
            TempData[Confirmation.ReferenceKey] = result.Value!.MeetingReference;
            TempData[Confirmation.AnswerKey] = result.Value.Answer;
            return RedirectToPage("/Answering/Confirmation");
        }

        if (result.Problem!.Errors.Count == 0)
        {
            Refusal = result.Problem;
            return Refused();
        }

        foreach (var field in new[] { Fields.Answer, Fields.WrittenContribution, Fields.DeclineReason, Fields.DeclineReasonText })
        {
            if (result.Problem.Errors.TryGetValue(field, out var messages) && messages.Length > 0)
            {
                Errors.Add((field, Friendly(field, messages[0])));
            }
        }

        foreach (var (field, messages) in result.Problem.Errors.Where(e => Errors.All(x => x.Field != e.Key)))
        {
            Errors.Add((Fields.Answer, messages.FirstOrDefault() ?? field));
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await LoadAsync(token, cancellationToken) ? Page() : Refused();
    }

    private async Task<bool> LoadAsync(string token, CancellationToken cancellationToken)
    {
        var shown = await links.ShowAsync(token, cancellationToken);
        Invitation = shown.Value;
        Refusal = shown.Problem;
        return shown.Succeeded;
    }

    private PageResult Refused()
    {
        // The meetings service's status (400 invalid, 409 used, 410 expired/replaced/cancelled) on an HTML page.
        Response.StatusCode = Refusal!.Status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.Gone or HttpStatusCode.NotFound
            ? (int)Refusal.Status
            : StatusCodes.Status502BadGateway;
        return Page();
    }

    /// <summary>GOV.UK error messages ("Enter…", "Select…") for the API's field errors.</summary>
    public static string Friendly(string field, string apiMessage)
    {
        var required = apiMessage.Contains("required", StringComparison.OrdinalIgnoreCase);
        return field switch
        {
            Fields.Answer => "Select how your agency will take part, or decline",
            Fields.WrittenContribution when required => "Enter your written contribution",
            Fields.WrittenContribution => "Your written contribution is too long: " + apiMessage,
            Fields.DeclineReason => "Select why your agency is declining",
            Fields.DeclineReasonText when required => "Enter why your agency is declining",
            Fields.DeclineReasonText => "The reason is too long: " + apiMessage,
            _ => apiMessage,
        };
    }
}
