using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.SpocDirectory.Domain;

namespace Jtai.Strategy.SpocDirectory.Apis;

public sealed record RegisterAgencyRequest(string? Code, string? Name, AgencyKind? Kind);

public sealed record UpdateAgencyRequest(string? Name, AgencyKind? Kind);

public sealed record SpocRequest(string? FullName, string? SecureEmail, string? Phone, string? Area, int? Rank);

public sealed record RetireSpocRequest(string? Reason);

public sealed record AddCoverRequest(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Reason);

public sealed record RecipientResponse(
    string AgencyCode,
    string? Area,
    DateTimeOffset At,
    SpocSnapshot Recipient,
    RecipientReason Reason,
    string Explanation,
    IReadOnlyList<SpocSnapshot> Escalation);

internal static class DirectoryValidation
{
    private static bool IsAgencyCode(string code) =>
        code.Length is >= 2 and <= 32 && char.IsAsciiLetterOrDigit(code[0]) && code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-');

    public static ValidationErrors Validate(RegisterAgencyRequest request) => new ValidationErrors()
        .Required("code", request.Code, 32)
        .When(request.Code is { Length: > 0 } code && !IsAgencyCode(code), "code", "code must be 2-32 upper-case letters, digits or hyphens, e.g. DURHAM-POLICE.")
        .Required("name", request.Name)
        .When(request.Kind is null, "kind", "kind is required.");

    public static ValidationErrors Validate(UpdateAgencyRequest request) => new ValidationErrors()
        .Required("name", request.Name)
        .When(request.Kind is null, "kind", "kind is required.");

    public static ValidationErrors Validate(SpocRequest request) => new ValidationErrors()
        .Required("fullName", request.FullName)
        .SecureEmail("secureEmail", request.SecureEmail)
        .MaxLength("phone", request.Phone, 40)
        .When(request.Phone is { Length: > 0 } phone && !phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '(' or ')' or '-'), "phone", "phone may hold digits, spaces and + ( ) - only.")
        .MaxLength("area", request.Area, 100)
        .When(request.Rank is null, "rank", "rank is required: 0 for the primary SPOC, 1, 2, ... for deputies in order.")
        .When(request.Rank is < 0 or > Spoc.MaxRank, "rank", $"rank must be between 0 and {Spoc.MaxRank}.");

    public static ValidationErrors Validate(AddCoverRequest request) => new ValidationErrors()
        .When(request.StartsAt is null, "startsAt", "startsAt is required.")
        .When(request.EndsAt is null, "endsAt", "endsAt is required.")
        .When(request.StartsAt is { } s && request.EndsAt is { } e && e <= s, "endsAt", "endsAt must be after startsAt.")
        .Required("reason", request.Reason, 200);

    public static string? NormaliseArea(string? area) => string.IsNullOrWhiteSpace(area) ? null : area.Trim();
}
