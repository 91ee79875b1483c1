using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Jtai.Strategy.DevIdentity;

/// <summary>
/// The composition root of the development identity provider: OpenIddict's server with its core stores in an
/// in-memory EF Core database (nothing survives a restart, which suits a loopback development server: sessions and
/// codes simply end), ephemeral keys, the code flow with PKCE for the web service, and the password grant so that
/// scripts and tests can get a user's token without a browser.
/// </summary>
public static class DevIdentitySetup
{
    public const string AuthorizeUri = "connect/authorize";
    public const string TokenUri = "connect/token";
    public const string EndSessionUri = "connect/endsession";
    public const string UserInfoUri = "connect/userinfo";

    /// <summary>The scope the web service asks for to call the APIs on the user's behalf.</summary>
    public const string ApiScope = "jtai-api";

    public static WebApplicationBuilder AddDevIdentity(this WebApplicationBuilder builder)
    {
        if (builder.Environment.IsProduction())
        {
            // A guard, not a feature switch: this host's users and secrets are public development values.
            throw new InvalidOperationException("The development identity provider must not run in Production.");
        }

        // Secrets as files (compose mounts them under /run/secrets, named as their configuration keys): the web client's
        // secret in docker-compose.yml, which the web service gets from the same file.
        builder.Configuration.AddKeyPerFile(builder.Configuration["Secrets:Directory"] is { Length: > 0 } directory ? Path.GetFullPath(directory) : "/run/secrets", optional: true, reloadOnChange: false);

        var services = builder.Services;
        services.AddOptions<DevIdentityOptions>().BindConfiguration(DevIdentityOptions.Section);
        services.AddDbContext<DbContext>(o =>
        {
            o.UseInMemoryDatabase("jtai-dev-identity");
            o.UseOpenIddict();
        });

        // The provider's own session: who signed in on its sign-in page.
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/sign-in";
                o.Cookie.Name = "jtai-dev-identity";
                o.Cookie.SameSite = SameSiteMode.Lax;
            });
        services.AddAuthorization();
        services.AddAntiforgery();

        var settings = builder.Configuration.GetSection(DevIdentityOptions.Section).Get<DevIdentityOptions>() ?? new DevIdentityOptions();
        var lifetime = settings.AccessTokenLifetime;
        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris(AuthorizeUri)
                    .SetTokenEndpointUris(TokenUri)
                    .SetEndSessionEndpointUris(EndSessionUri)
                    .SetUserInfoEndpointUris(UserInfoUri);
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.AllowPasswordFlow();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, ApiScope);
                o.SetAccessTokenLifetime(lifetime);
                if (settings.Issuer is { } issuer)
                {
                    o.SetIssuer(issuer);
                }

                // Keys made at each start: tokens end with the process, which a development provider may do.
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                // The APIs validate a signed JWT with the keys of the discovery document; they hold no decryption key.
                o.DisableAccessTokenEncryption();
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    // Loopback http is this host's only use (scripts/infra.sh); it refuses to start in Production.
                    .DisableTransportSecurityRequirement();
            });

        services.AddHealthChecks();
        services.AddHostedService<ClientRegistration>();
        return builder;
    }

    public static WebApplication UseDevIdentity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready");
        app.MapSignInPage();
        app.MapProviderEndpoints();
        return app;
    }
}

/// <summary>Registers the configured clients in the in-memory store at start-up.</summary>
internal sealed class ClientRegistration(IServiceProvider services, IOptions<DevIdentityOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
        foreach (var client in options.Value.Clients)
        {
            if (await manager.FindByClientIdAsync(client.ClientId, cancellationToken) is not null)
            {
                continue;
            }

            var descriptor = new OpenIddict.Abstractions.OpenIddictApplicationDescriptor
            {
                ClientId = client.ClientId,
                ClientSecret = client.ClientSecret,
                ClientType = ClientTypes.Confidential,
                ConsentType = ConsentTypes.Implicit,
                DisplayName = client.DisplayName,
                Permissions =
                {
                    Permissions.Endpoints.Authorization,
                    Permissions.Endpoints.Token,
                    Permissions.Endpoints.EndSession,
                    Permissions.GrantTypes.AuthorizationCode,
                    Permissions.GrantTypes.Password,
                    Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Profile,
                    Permissions.Scopes.Email,
                    Permissions.Scopes.Roles,
                    Permissions.Prefixes.Scope + DevIdentitySetup.ApiScope,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            foreach (var uri in client.RedirectUris)
            {
                descriptor.RedirectUris.Add(uri);
            }

            foreach (var uri in client.PostLogoutRedirectUris)
            {
                descriptor.PostLogoutRedirectUris.Add(uri);
            }

            await manager.CreateAsync(descriptor, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
