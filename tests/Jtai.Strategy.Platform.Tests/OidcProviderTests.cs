using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.SpocDirectory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// A service configured with <c>Auth:Authority</c> fetches the provider's discovery document and keys through the
/// resilient "oidc-metadata" client: a provider that answers 503 twice at first still signs the user in on the
/// first request, and the OpenAPI document names the provider.
/// </summary>
public sealed class OidcProviderTests
{
    [Fact]
    public async Task A_provider_that_fails_twice_at_first_still_signs_the_first_request_in()
    {
        await using var provider = await FlakyOidcProvider.StartAsync(failuresFirst: 2);
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await using var host = new ServiceHost<SpocDirectoryService>(database, broker, new Dictionary<string, string?> { ["Auth:Authority"] = provider.Issuer });

        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", provider.Mint(JtaiRoles.Administrator));
        var response = await client.GetAsync("/api/agencies");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, provider.DiscoveryRequests);

        var document = JsonNode.Parse(await host.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var oidc = document["components"]!["securitySchemes"]![OpenApiSecurity.OidcScheme]!;
        Assert.Equal(("openIdConnect", provider.Issuer + "/.well-known/openid-configuration"), ((string?)oidc["type"], (string?)oidc["openIdConnectUrl"]));
    }

    [Fact]
    public async Task A_token_the_provider_did_not_sign_is_refused()
    {
        await using var provider = await FlakyOidcProvider.StartAsync(failuresFirst: 0);
        await using var stranger = await FlakyOidcProvider.StartAsync(failuresFirst: 0);
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await using var host = new ServiceHost<SpocDirectoryService>(database, broker, new Dictionary<string, string?> { ["Auth:Authority"] = provider.Issuer });

        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stranger.Mint(JtaiRoles.Administrator, issuer: provider.Issuer));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/agencies")).StatusCode);
    }

    /// <summary>A minimal OpenID provider on loopback: discovery document (503 for the first few requests) and an RSA key set.</summary>
    private sealed class FlakyOidcProvider : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly RSA rsa = RSA.Create(2048);
        private readonly string keyId = Guid.NewGuid().ToString("N");
        private int discoveryRequests;

        private FlakyOidcProvider(WebApplication app) => this.app = app;

        public string Issuer { get; private set; } = "";

        public int DiscoveryRequests => Volatile.Read(ref discoveryRequests);

        public static async Task<FlakyOidcProvider> StartAsync(int failuresFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var provider = new FlakyOidcProvider(builder.Build());
            provider.app.MapGet("/.well-known/openid-configuration", () =>
                Interlocked.Increment(ref provider.discoveryRequests) <= failuresFirst
                    ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
                    : Results.Json(new Dictionary<string, object>
                    {
                        ["issuer"] = provider.Issuer,
                        ["jwks_uri"] = provider.Issuer + "/jwks",
                        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                    }));
            provider.app.MapGet("/jwks", () =>
            {
                var parameters = provider.rsa.ExportParameters(includePrivateParameters: false);
                return Results.Json(new
                {
                    keys = new[]
                    {
                        new { kty = "RSA", use = "sig", alg = "RS256", kid = provider.keyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                    },
                });
            });
            await provider.app.StartAsync();
            provider.Issuer = provider.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().TrimEnd('/');
            return provider;
        }

        public string Mint(string role, string? issuer = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = DevelopmentTokens.Audience,
            Subject = new ClaimsIdentity([new Claim(JtaiClaims.Subject, "oidc-user"), new Claim(JtaiClaims.Role, role)]),
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        });

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            rsa.Dispose();
        }
    }
}
