using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Jtai.Strategy.BuildingBlocks.Security;

/// <summary>
/// Declares in each service's OpenAPI document how its API is secured, so that a reader or a generated
/// client knows every operation needs a bearer token, and which roles: the bearer (JWT) scheme, the
/// OIDC provider's discovery document when <c>Auth:Authority</c> is set, and on each operation the
/// requirement its authorization metadata imposes (none for anonymous endpoints such as the answer
/// link and health), with the roles and claims in the operation's description.
/// </summary>
public static class OpenApiSecurity
{
    public const string BearerScheme = "Bearer";
    public const string OidcScheme = "OpenIdConnect";

    public static OpenApiOptions AddJtaiSecurity(this OpenApiOptions options)
    {
        options.AddDocumentTransformer(DeclareSchemes);
        options.AddOperationTransformer(RequireSchemes);
        return options;
    }

    private static Task DeclareSchemes(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from the partnership's OpenID Connect provider (a development token outside production), "
                + $"with the user's roles in its '{JtaiClaims.Role}' claims.",
        };

        var authority = context.ApplicationServices.GetRequiredService<IConfiguration>()["Auth:Authority"];
        if (!string.IsNullOrWhiteSpace(authority))
        {
            document.Components.SecuritySchemes[OidcScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OpenIdConnect,
                OpenIdConnectUrl = new Uri(authority.TrimEnd('/') + "/.well-known/openid-configuration"),
                Description = "The OpenID Connect provider that issues the bearer tokens.",
            };
        }

        return Task.CompletedTask;
    }

    private static async Task RequireSchemes(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        // The authorization middleware lets an endpoint with AllowAnonymous through whatever else it carries.
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }

        // Without authorization metadata of its own an endpoint falls to the fallback policy (signed in).
        var policyProvider = context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = await AuthorizationPolicy.CombineAsync(policyProvider, metadata.OfType<IAuthorizeData>(), metadata.OfType<AuthorizationPolicy>())
            ?? await policyProvider.GetFallbackPolicyAsync();
        if (policy is null)
        {
            return;
        }

        // Alternatives (either names the same token): the bearer header, or the provider that issues it.
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
        if (context.Document?.Components?.SecuritySchemes?.ContainsKey(OidcScheme) == true)
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OidcScheme, context.Document)] = [] });
        }

        var needs = Describe(policy);
        operation.Description = string.IsNullOrWhiteSpace(operation.Description) ? needs : operation.Description + "\n\n" + needs;
    }

    /// <summary>E.g. "Requires a bearer token with role Spoc and claim agency." (requirements all apply; roles within one are alternatives).</summary>
    public static string Describe(AuthorizationPolicy policy)
    {
        var parts = new List<string>();
        foreach (var requirement in policy.Requirements)
        {
            switch (requirement)
            {
                case RolesAuthorizationRequirement roles:
                    parts.Add((roles.AllowedRoles.Count() == 1 ? "role " : "one of the roles ") + string.Join(", ", roles.AllowedRoles));
                    break;
                case ClaimsAuthorizationRequirement claim:
                    parts.Add($"claim {claim.ClaimType}" + (claim.AllowedValues?.Any() == true ? $" ({string.Join(", ", claim.AllowedValues)})" : ""));
                    break;
            }
        }

        return parts.Count == 0
            ? "Requires a bearer token (any signed-in user)."
            : "Requires a bearer token with " + string.Join(" and ", parts) + ".";
    }
}
