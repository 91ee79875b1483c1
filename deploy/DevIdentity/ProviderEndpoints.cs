using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Jtai.Strategy.DevIdentity;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to the host: it has validated the request (client,
/// redirect URI, PKCE), these decide who the user is and which claims the tokens carry.
/// </summary>
public static class ProviderEndpoints
{
    public static IEndpointRouteBuilder MapProviderEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/" + DevIdentitySetup.AuthorizeUri, ["GET", "POST"], Authorize);
        app.MapPost("/" + DevIdentitySetup.TokenUri, Token);
        app.MapMethods("/" + DevIdentitySetup.EndSessionUri, ["GET", "POST"], (Delegate)EndSession);
        app.MapMethods("/" + DevIdentitySetup.UserInfoUri, ["GET", "POST"], UserInfo);
        return app;
    }

    private static async Task<IResult> Authorize(HttpContext context, IOptions<DevIdentityOptions> options)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var user = session.Succeeded ? options.Value.Find(session.Principal.FindFirstValue(Claims.Subject)) : null;
        if (user is null)
        {
            // Not signed in here yet: the sign-in page, which comes back to this very request.
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(
                context.Request.HasFormContentType ? context.Request.Form.ToList() : context.Request.Query.ToList());
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        return Results.SignIn(PrincipalFor(user, request.GetScopes(), options.Value), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> Token(HttpContext context, IOptions<DevIdentityOptions> options)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsAuthorizationCodeGrantType())
        {
            // The code carries the principal made at the authorization endpoint; read the user again, as a real provider would.
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = options.Value.Find(result.Principal?.GetClaim(Claims.Subject));
            return user is null
                ? Refuse(Errors.InvalidGrant, "The user is no longer known.")
                : Results.SignIn(PrincipalFor(user, result.Principal!.GetScopes(), options.Value), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsPasswordGrantType())
        {
            // For scripts and tests that call the APIs without a browser (the web service itself uses the code flow).
            var user = options.Value.Find(request.Username);
            return user is null || !user.PasswordMatches(request.Password)
                ? Refuse(Errors.InvalidGrant, "The user name or password is not right.")
                : Results.SignIn(PrincipalFor(user, request.GetScopes(), options.Value), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    private static async Task<IResult> EndSession(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // OpenIddict returns to the client's registered post-logout URI, if the request named one.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<IResult> UserInfo(HttpContext context, IOptions<DevIdentityOptions> options)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var user = options.Value.Find(result.Principal?.GetClaim(Claims.Subject));
        if (user is null)
        {
            return Results.Challenge(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.Ok(new Dictionary<string, object?>
        {
            [Claims.Subject] = user.UserName,
            [Claims.Name] = user.Name,
            [Claims.Email] = user.Email,
            [Claims.Role] = user.Roles,
            ["agency"] = user.Agency,
            ["team"] = user.Team,
        });
    }

    /// <summary>
    /// The user's claims as the APIs read them (BuildingBlocks' JtaiClaims): <c>sub</c>, <c>name</c>, <c>email</c>,
    /// one <c>role</c> claim per role, <c>agency</c> and <c>team</c>; in the access token (for the APIs) and the
    /// identity token (for the web service's cookie); audience = the APIs' <c>Auth:Audience</c>.
    /// </summary>
    private static ClaimsPrincipal PrincipalFor(ExampleUser user, IEnumerable<string> scopes, DevIdentityOptions options)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.UserName)
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.Email, user.Email)
            .SetClaims(Claims.Role, [.. user.Roles]);
        if (user.Agency is not null)
        {
            identity.SetClaim("agency", user.Agency);
        }

        if (user.Team is not null)
        {
            identity.SetClaim("team", user.Team);
        }

        identity.SetScopes(scopes);
        identity.SetResources(options.Audience);
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return new ClaimsPrincipal(identity);
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
