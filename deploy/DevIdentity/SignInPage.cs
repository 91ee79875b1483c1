using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Jtai.Strategy.DevIdentity;

/// <summary>
/// The provider's sign-in page: pick one of the example users and give its (development) password. Plain,
/// server-rendered and labelled, so it can be used with the keyboard and by the browser tests.
/// </summary>
public static class SignInPage
{
    public static IEndpointRouteBuilder MapSignInPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/sign-in"));
        app.MapGet("/sign-in", Show);
        app.MapPost("/sign-in", SignIn);
        return app;
    }

    private static IResult Show(HttpContext context, string? returnUrl, IOptions<DevIdentityOptions> options, IAntiforgery antiforgery) =>
        Page(context, antiforgery, options.Value, returnUrl, selected: null, error: null);

    private static async Task<IResult> SignIn(HttpContext context, IOptions<DevIdentityOptions> options, IAntiforgery antiforgery)
    {
        await antiforgery.ValidateRequestAsync(context);
        var form = await context.Request.ReadFormAsync();
        var returnUrl = form["returnUrl"].ToString();
        var user = options.Value.Find(form["user"]);
        if (user is null || !user.PasswordMatches(form["password"]))
        {
            return Page(context, antiforgery, options.Value, returnUrl, form["user"], "Choose a user and enter the password that is configured for it.");
        }

        var identity = new ClaimsIdentity([new Claim(Claims.Subject, user.UserName), new Claim(Claims.Name, user.Name)], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        // Only back into this provider (the authorization request), never to an address from outside.
        return Results.LocalRedirect(Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') ? returnUrl : "/sign-in");
    }

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, DevIdentityOptions options, string? returnUrl, string? selected, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Sign in – development identity provider</title>")
            .Append("<style>body{font-family:Arial,sans-serif;margin:0;color:#0b0c0c}main{max-width:40rem;margin:0 auto;padding:1rem}")
            .Append("fieldset{border:0;padding:0}label{display:block;padding:.4rem 0}input[type=password]{font-size:1.1rem;padding:.3rem;width:100%;max-width:20rem;border:2px solid #0b0c0c}")
            .Append("button{font-size:1.1rem;padding:.5rem 1rem;background:#00703c;color:#fff;border:0;margin-top:1rem}.error{color:#d4351c;font-weight:bold}")
            .Append(":focus{outline:3px solid #fd0;outline-offset:0}</style></head><body><main>")
            .Append("<h1>Sign in</h1><p>Development identity provider for Jtai.Strategy: example users only.</p>");
        if (error is not null)
        {
            page.Append("<p class=\"error\" role=\"alert\" id=\"error\">").Append(html.Encode(error)).Append("</p>");
        }

        page.Append("<form method=\"post\" action=\"/sign-in\">")
            .Append("<input type=\"hidden\" name=\"").Append(html.Encode(tokens.FormFieldName)).Append("\" value=\"").Append(html.Encode(tokens.RequestToken ?? "")).Append("\">")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(html.Encode(returnUrl ?? "")).Append("\">")
            .Append("<fieldset><legend><h2>Who are you?</h2></legend>");
        foreach (var user in options.Users)
        {
            var id = "user-" + user.UserName.Replace('.', '-');
            var isChecked = string.Equals(selected, user.UserName, StringComparison.OrdinalIgnoreCase) ? " checked" : "";
            page.Append("<label for=\"").Append(id).Append("\"><input type=\"radio\" name=\"user\" id=\"").Append(id).Append("\" value=\"")
                .Append(html.Encode(user.UserName)).Append('"').Append(isChecked).Append("> ")
                .Append(html.Encode(user.Name)).Append(" (").Append(html.Encode(user.UserName)).Append(": ").Append(html.Encode(user.Describe())).Append(")</label>");
        }

        page.Append("</fieldset><label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\">")
            .Append("<div><button type=\"submit\">Sign in</button></div></form></main></body></html>");
        return Results.Content(page.ToString(), "text/html; charset=utf-8");
    }
}
