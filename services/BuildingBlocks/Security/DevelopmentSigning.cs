using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Jtai.Strategy.BuildingBlocks.Security;

/// <summary>
/// What a service needs to validate tokens signed with a development key (<c>Auth:DevelopmentSigningKey</c>), accepted
/// only in the Development environment. The key itself is not here: it lives in the development settings and the tests
/// (<c>DevelopmentTokens</c> in <c>tests/Jtai.Strategy.Testing</c>), never in a service's assembly or image.
/// </summary>
public static class DevelopmentSigning
{
    public const string Issuer = "jtai-strategy-development";
    public const string Audience = "jtai-strategy";

    public static SymmetricSecurityKey KeyFrom(string signingKey)
    {
        var bytes = Encoding.UTF8.GetBytes(signingKey);
        if (bytes.Length < 32)
        {
            throw new ArgumentException("The development signing key must be at least 32 bytes.", nameof(signingKey));
        }

        return new SymmetricSecurityKey(bytes);
    }
}
