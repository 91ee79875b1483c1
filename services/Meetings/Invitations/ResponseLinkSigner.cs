using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Invitations;

/// <summary>What a well-signed token says; whether it still holds is the database's (and the clock's) to say.</summary>
public sealed record ResponseLinkClaims(Guid LinkId, Guid InvitationId, DateTimeOffset ExpiresAt);

/// <summary>
/// Response-link tokens: <c>base64url(payload).base64url(HMAC-SHA256(key, payload))</c>, where the
/// payload is a version byte, the link id, the invitation id and the expiry (Unix seconds). The token
/// is never stored: only the link row (for single use) is. Signatures are compared in constant time.
/// </summary>
public sealed class ResponseLinkSigner(IOptions<MeetingsOptions> options)
{
    private const byte Version = 1;
    private const int PayloadLength = 1 + 16 + 16 + 8;

    private readonly byte[] key = options.Value.ResponseLinkKeyBytes();

    public string Create(Guid linkId, Guid invitationId, DateTimeOffset expiresAt)
    {
        var payload = new byte[PayloadLength];
        payload[0] = Version;
        linkId.TryWriteBytes(payload.AsSpan(1, 16));
        invitationId.TryWriteBytes(payload.AsSpan(17, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(33, 8), expiresAt.ToUnixTimeSeconds());
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, payload));
    }

    /// <summary>The claims of an untampered token signed with this key; null for anything else.</summary>
    public ResponseLinkClaims? Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        byte[] payload;
        byte[] signature;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }

        var expected = HMACSHA256.HashData(key, payload);
        if (!CryptographicOperations.FixedTimeEquals(expected, signature) || payload.Length != PayloadLength || payload[0] != Version)
        {
            return null;
        }

        return new ResponseLinkClaims(
            new Guid(payload.AsSpan(1, 16)),
            new Guid(payload.AsSpan(17, 16)),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(33, 8))));
    }
}
