namespace Jtai.Strategy.DevIdentity;

/// <summary>The provider's configuration (section <c>DevIdentity</c>): its clients and example users. Development only.</summary>
public sealed class DevIdentityOptions
{
    public const string Section = "DevIdentity";

    /// <summary>The audience of every access token: the APIs' <c>Auth:Audience</c>.</summary>
    public string Audience { get; set; } = "jtai-strategy";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The issuer every token and the discovery document name, whatever address a request came in by; unset, the
    /// request's own (loopback use). Set when the provider is reached by two names, as in docker-compose.yml: the
    /// services call it by its container name, a script on the host by a published port; the tokens must agree.
    /// </summary>
    public Uri? Issuer { get; set; }

    public List<ExampleClient> Clients { get; set; } = [];

    public List<ExampleUser> Users { get; set; } = [];

    public ExampleUser? Find(string? userName) =>
        Users.FirstOrDefault(u => string.Equals(u.UserName, userName, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A relying party (the web service), confidential: its secret comes from configuration.</summary>
public sealed class ExampleClient
{
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public List<Uri> RedirectUris { get; set; } = [];

    public List<Uri> PostLogoutRedirectUris { get; set; } = [];
}

/// <summary>One example user with the claims the services authorise on (<c>role</c>, <c>agency</c>, <c>team</c>).</summary>
public sealed class ExampleUser
{
    public string UserName { get; set; } = "";

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    /// <summary>The agency a SPOC answers for.</summary>
    public string? Agency { get; set; }

    /// <summary>The Families First team a manager convenes for.</summary>
    public string? Team { get; set; }

    /// <summary>DEVELOPMENT ONLY: a password from configuration, compared in constant time; there is no user store.</summary>
    public string Password { get; set; } = "";

    public bool PasswordMatches(string? given) =>
        given is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(Password));

    /// <summary>How the sign-in page describes the user: role and scope.</summary>
    public string Describe() => string.Join(", ", Roles) + (Team is null ? "" : $" of {Team}") + (Agency is null ? "" : $" for {Agency}");
}
