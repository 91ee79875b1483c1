using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jtai.Strategy.BuildingBlocks.Security;

/// <summary>
/// Mints tokens signed with the development key, for local use and tests only. Production validates
/// tokens from the partnership's OIDC provider (<c>Auth:Authority</c>) and has no signing key.
/// </summary>
public static class DevelopmentTokens
{
    public const string Issuer = "jtai-strategy-development";
    public const string Audience = "jtai-strategy";

    /// <summary>DEVELOPMENT ONLY — the key in appsettings.Development.json and the test fixtures. Never use in production.</summary>
    public const string DevelopmentSigningKey = "DEVELOPMENT-ONLY-jtai-strategy-signing-key-not-for-production-use-0001";

    public static SymmetricSecurityKey KeyFrom(string signingKey)
    {
        var bytes = Encoding.UTF8.GetBytes(signingKey);
        if (bytes.Length < 32)
        {
            throw new ArgumentException("The development signing key must be at least 32 bytes.", nameof(signingKey));
        }

        return new SymmetricSecurityKey(bytes);
    }

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
            SigningCredentials = new SigningCredentials(KeyFrom(signingKey), SecurityAlgorithms.HmacSha256),
        });
    }
}
