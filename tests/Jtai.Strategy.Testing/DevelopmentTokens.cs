using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

// The namespace of the services' token validation (DevelopmentSigning), kept so every test and tool finds it where
// it always was; the class itself lives here, outside every service's assembly, so no image carries the key.
namespace Jtai.Strategy.BuildingBlocks.Security;

/// <summary>
/// Mints tokens signed with the development key, for local use and tests only. Production validates
/// tokens from the partnership's OIDC provider (<c>Auth:Authority</c>) and has no signing key; a service accepts
/// the development key only in the Development environment (<c>AuthExtensions</c>).
/// </summary>
public static class DevelopmentTokens
{
    public const string Issuer = DevelopmentSigning.Issuer;
    public const string Audience = DevelopmentSigning.Audience;

    /// <summary>DEVELOPMENT ONLY — the key in appsettings.Development.json and the test fixtures. Never use in production.</summary>
    public const string DevelopmentSigningKey = "DEVELOPMENT-ONLY-jtai-strategy-signing-key-not-for-production-use-0001";

    public static string Mint(
        string subject,
        IEnumerable<string> roles,
        string? agency = null,
        string? team = null,
        string? name = null,
        TimeSpan? lifetime = null,
        string signingKey = DevelopmentSigningKey,
        DateTimeOffset? now = null,
        string? email = null)
    {
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new List<Claim> { new(JtaiClaims.Subject, subject), new(JtaiClaims.Name, name ?? subject) };
        claims.AddRange(roles.Select(r => new Claim(JtaiClaims.Role, r)));
        if (agency is not null)
        {
            claims.Add(new Claim(JtaiClaims.Agency, agency));
        }

        if (team is not null)
        {
            claims.Add(new Claim(JtaiClaims.Team, team));
        }

        if (email is not null)
        {
            claims.Add(new Claim(JtaiClaims.Email, email));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(DevelopmentSigning.KeyFrom(signingKey), SecurityAlgorithms.HmacSha256),
        });
    }
}
