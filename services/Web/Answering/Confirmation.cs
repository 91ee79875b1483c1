using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Answering;

/// <summary>After an answer: the GOV.UK confirmation panel, from what the answer page left for it.</summary>
public sealed class Confirmation : PageModel
{
    public const string ReferenceKey = "answered.reference";
    public const string AnswerKey = "answered.answer";

    public string? Reference { get; private set; }

    public string? Answer { get; private set; }

    public IActionResult OnGet()
    {
        Reference = TempData[ReferenceKey] as string;
        Answer = TempData[AnswerKey] as string;
        return Reference is null ? Redirect("/") : Page();
    }

    public string AnswerInWords => Answer switch
    {
        "AttendInPerson" => "Your agency will attend in person.",
        "AttendByDialIn" => "Your agency will attend by dial-in.",
        "ContributeInWriting" => "Your written contribution has been sent to the team.",
        "Decline" => "Your agency has declined.",
        _ => "Your answer has been sent.",
    };
}
