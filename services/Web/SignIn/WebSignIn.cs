using Jtai.Strategy.BuildingBlocks.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Jtai.Strategy.Web.SignIn;

/// <summary>Authorization policies of the pages, by the roles in the provider's <c>role</c> claims.</summary>
public static class WebPolicies
{
    public const string TeamManager = nameof(TeamManager);
    public const string Spoc = nameof(Spoc);
    public const string Administrator = nameof(Administrator);
    public const string Masdg = nameof(Masdg);
}

/// <summary>
/// Sign-in: OpenID Connect, authorization code flow with PKCE, into an encrypted, HTTP-only cookie that also holds
/// the access token (<c>SaveTokens</c>): the token stays on the server side of the browser, which only ever holds
/// the cookie.
/// </summary>
public static class WebSignIn
{
    public static WebApplicationBuilder AddWebSignIn(this WebApplicationBuilder builder, OidcSettings oidc)
    {
        if (string.IsNullOrWhiteSpace(oidc.Authority) || string.IsNullOrWhiteSpace(oidc.ClientSecret))
        {
            throw new InvalidOperationException("Configure Web:Oidc:Authority and Web:Oidc:ClientSecret (the OpenID Connect provider and this confidential client's secret).");
        }

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "jtai-web";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the page came over https (always, behind the production proxy); loopback http in development.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.AccessDeniedPath = "/forbidden";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = false;
                // The cookie is only as good as the access token inside it: once that has expired, sign in again
                // (silently, while the provider's own session lasts) rather than let every API call answer 401.
                o.Events.OnValidatePrincipal = async context =>
                {
                    if (context.Properties.GetTokenValue("expires_at") is { } expiresAt
                        && DateTimeOffset.TryParse(expiresAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var expires)
                        && expires <= DateTimeOffset.UtcNow.AddMinutes(1))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = oidc.Authority;
                o.RequireHttpsMetadata = AuthExtensions.RequireHttpsMetadata(oidc.RequireHttpsMetadata, oidc.Authority);
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                // A redirect back (GET) rather than a cross-site form post: the correlation cookies stay SameSite=Lax.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                foreach (var scope in oidc.Scopes)
                {
                    o.Scope.Add(scope);
                }

                o.TokenValidationParameters.NameClaimType = JtaiClaims.Name;
                o.TokenValidationParameters.RoleClaimType = JtaiClaims.Role;
                o.SignedOutCallbackPath = "/signout-callback-oidc";
                o.SignedOutRedirectUri = "/signed-out";
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(WebPolicies.TeamManager, p => p.RequireAuthenticatedUser().RequireRole(JtaiRoles.TeamManager).RequireClaim(JtaiClaims.Team))
            .AddPolicy(WebPolicies.Spoc, p => p.RequireAuthenticatedUser().RequireRole(JtaiRoles.Spoc).RequireClaim(JtaiClaims.Agency))
            .AddPolicy(WebPolicies.Administrator, p => p.RequireAuthenticatedUser().RequireRole(JtaiRoles.Administrator))
            // The metrics figures and the plan's reports are the MASDG's alone (the APIs' Masdg policy).
            .AddPolicy(WebPolicies.Masdg, p => p.RequireAuthenticatedUser().RequireRole(JtaiRoles.Masdg));
        return builder;
    }
}

/// <summary>Sign in (a challenge to the provider) and sign out (here and at the provider).</summary>
public static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sign-in", () => TypedResults.Challenge(new AuthenticationProperties { RedirectUri = "/home" }, [OpenIdConnectDefaults.AuthenticationScheme]))
            .AllowAnonymous();
        app.MapPost("/sign-out", () => TypedResults.SignOut(
                new AuthenticationProperties { RedirectUri = "/signed-out" },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]))
            .RequireAuthorization();
        return app;
    }
}

/// <summary>Puts the signed-in user's access token (kept in the encrypted cookie) on each call to an API.</summary>
public sealed class AccessTokenForwarder(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } context && await context.GetTokenAsync("access_token") is { Length: > 0 } token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
