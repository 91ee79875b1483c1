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
    /// locally minted tokens — refused in the Production environment. Checked at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddJtaiAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IConfiguration, IHostEnvironment>((options, configuration, environment) => Configure(options, configuration.GetSection("Auth"), environment))
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

    private static void Configure(JwtBearerOptions options, IConfigurationSection auth, IHostEnvironment environment)
    {
        var authority = auth["Authority"];
        var developmentKey = auth["DevelopmentSigningKey"];
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            NameClaimType = JtaiClaims.Name,
            RoleClaimType = JtaiClaims.Role,
            ValidAudience = auth["Audience"] ?? DevelopmentTokens.Audience,
            ClockSkew = TimeSpan.FromSeconds(30),
        };

        if (!string.IsNullOrWhiteSpace(authority))
        {
            options.Authority = authority;
            options.RequireHttpsMetadata = !authority.StartsWith("http://127.0.0.1", StringComparison.Ordinal) && !authority.StartsWith("http://localhost", StringComparison.Ordinal);
            return;
        }

        if (string.IsNullOrWhiteSpace(developmentKey))
        {
            throw new InvalidOperationException("Configure Auth:Authority (an OIDC provider) or, outside production, Auth:DevelopmentSigningKey.");
        }

        if (environment.IsProduction())
        {
            throw new InvalidOperationException("Auth:DevelopmentSigningKey must not be used in Production; configure Auth:Authority.");
        }

        options.TokenValidationParameters.ValidIssuer = auth["Issuer"] ?? DevelopmentTokens.Issuer;
        options.TokenValidationParameters.IssuerSigningKey = DevelopmentTokens.KeyFrom(developmentKey);
    }
}
