using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Jtai.Strategy.BuildingBlocks.Security;

public static class AuthExtensions
{
    /// <summary>
    /// JWT bearer authentication. With <c>Auth:Authority</c> set, tokens come from that OIDC provider
    /// (keys from its discovery document). Otherwise <c>Auth:DevelopmentSigningKey</c> validates
    /// locally minted tokens — accepted only in the Development environment (a Staging or Production host, or one
    /// whose environment is misspelt, refuses to start with it). Checked at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddJtaiAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // The discovery document and signing keys are fetched through the client factory with the standard
        // resilience handler (retries with backoff, attempt and total timeouts, circuit breaker): a provider
        // that blinks at start-up would otherwise fail every request until the next metadata refresh.
        builder.Services.AddHttpClient(OidcMetadataClient).AddStandardResilienceHandler();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IConfiguration, IHostEnvironment, IHttpClientFactory>((options, configuration, environment, clients) =>
                Configure(options, configuration.GetSection("Auth"), environment, clients))
            .ValidateOnStart();

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(JtaiPolicies.Administrator, p => p.RequireRole(JtaiRoles.Administrator))
            .AddPolicy(JtaiPolicies.TeamManager, p => p.RequireRole(JtaiRoles.TeamManager))
            .AddPolicy(JtaiPolicies.Spoc, p => p.RequireRole(JtaiRoles.Spoc).RequireClaim(JtaiClaims.Agency))
            .AddPolicy(JtaiPolicies.Masdg, p => p.RequireRole(JtaiRoles.Masdg))
            .AddPolicy(JtaiPolicies.AnyRole, p => p.RequireRole(JtaiRoles.All))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>
    /// Whether the provider's metadata must come over https: by default yes, except from a loopback provider (the
    /// development one of scripts/infra.sh). <c>RequireHttpsMetadata=false</c> allows http explicitly, for a provider on
    /// a private container network (docker-compose.yml's local provider); it is never needed in a real deployment.
    /// </summary>
    public static bool RequireHttpsMetadata(bool? configured, string authority) =>
        configured ?? (!authority.StartsWith("http://127.0.0.1", StringComparison.Ordinal) && !authority.StartsWith("http://localhost", StringComparison.Ordinal));

    /// <summary>The named HttpClient that fetches the OIDC provider's metadata and keys.</summary>
    public const string OidcMetadataClient = "oidc-metadata";

    private static void Configure(JwtBearerOptions options, IConfigurationSection auth, IHostEnvironment environment, IHttpClientFactory clients)
    {
        var authority = auth["Authority"];
        var developmentKey = auth["DevelopmentSigningKey"];
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            NameClaimType = JtaiClaims.Name,
            RoleClaimType = JtaiClaims.Role,
            ValidAudience = auth["Audience"] ?? DevelopmentSigning.Audience,
            ClockSkew = TimeSpan.FromSeconds(30),
        };

        if (!string.IsNullOrWhiteSpace(authority))
        {
            options.Authority = authority;
            options.Backchannel = clients.CreateClient(OidcMetadataClient);
            options.RequireHttpsMetadata = RequireHttpsMetadata(auth.GetValue<bool?>("RequireHttpsMetadata"), authority);
            return;
        }

        if (string.IsNullOrWhiteSpace(developmentKey))
        {
            throw new InvalidOperationException("Configure Auth:Authority (an OIDC provider) or, in Development only, Auth:DevelopmentSigningKey.");
        }

        // Only an environment named exactly Development may sign its own tokens: "Staging", "production" or a typo
        // would otherwise accept tokens anyone holding the development key can mint.
        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Auth:DevelopmentSigningKey is accepted only in the Development environment, not in '{environment.EnvironmentName}'; configure Auth:Authority.");
        }

        options.TokenValidationParameters.ValidIssuer = auth["Issuer"] ?? DevelopmentSigning.Issuer;
        options.TokenValidationParameters.IssuerSigningKey = DevelopmentSigning.KeyFrom(developmentKey);
    }
}
