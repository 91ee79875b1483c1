using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web;

/// <summary>The start page; a signed-in user goes straight to the page of their role.</summary>
public sealed class StartPage : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect("/home") : Page();
}
