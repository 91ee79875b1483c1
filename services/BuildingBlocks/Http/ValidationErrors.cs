namespace Jtai.Strategy.BuildingBlocks.Http;

/// <summary>Collects field-level validation messages for an RFC 9457 validation problem.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    public ValidationErrors Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"{field} is required.");
        }

        return value.Length > maxLength ? Add(field, $"{field} must be at most {maxLength} characters.") : this;
    }

    public ValidationErrors MaxLength(string field, string? value, int maxLength) =>
        value is not null && value.Length > maxLength ? Add(field, $"{field} must be at most {maxLength} characters.") : this;

    /// <summary>
    /// A required secure e-mail address (a SPOC's, a team manager's): at most 254 characters and a valid address. One
    /// rule, shared by the directory and the meetings service.
    /// </summary>
    public ValidationErrors SecureEmail(string field, string? value)
    {
        Required(field, value, 254);
        return When(value is { Length: > 0 } email && !System.Net.Mail.MailAddress.TryCreate(email, out _), field, $"{field} is not a valid e-mail address.");
    }

    /// <summary>Whether <paramref name="value"/> passes <see cref="SecureEmail"/>.</summary>
    public static bool IsSecureEmail(string? value) => !new ValidationErrors().SecureEmail("email", value).Any;

    public ValidationErrors When(bool invalid, string field, string message) => invalid ? Add(field, message) : this;

    public IDictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
