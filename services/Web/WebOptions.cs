namespace Jtai.Strategy.Web;

/// <summary>The web service's settings (section <c>Web</c>).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    public OidcSettings Oidc { get; set; } = new();

    /// <summary>Base addresses of the services' HTTP APIs the pages read and change data through.</summary>
    public ApiAddresses Apis { get; set; } = new();

    /// <summary>Where the DataProtection keys (which encrypt the sign-in cookie and anti-forgery tokens) are kept; share it between instances.</summary>
    public string? DataProtectionKeysDirectory { get; set; }

    /// <summary>
    /// This instance's name in its bus queue for the live board (each instance hears every change); by default the
    /// host name and process id.
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>The improvement action plan whose progress the MASDG's pages show (the action plan service's plan code).</summary>
    public string ActionPlanCode { get; set; } = "durham-jtai-2018";

    /// <summary>The IANA time zone the pages show times in.</summary>
    public string TimeZone { get; set; } = "Europe/London";
}

public sealed class OidcSettings
{
    /// <summary>The partnership's OpenID Connect provider (the development provider of scripts/infra.sh locally).</summary>
    public string? Authority { get; set; }

    public string ClientId { get; set; } = "jtai-web";

    /// <summary>
    /// Whether the provider's metadata must come over https (unset: yes, except from a loopback provider); false only
    /// for a provider on a private container network, as docker-compose.yml's local one.
    /// </summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>The confidential client's secret: from a secret store in production, never from appsettings.json.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The scopes asked for besides openid and profile: the APIs' scope and the claims the services authorise on.</summary>
    public List<string> Scopes { get; set; } = ["email", "roles", "jtai-api"];
}

public sealed class ApiAddresses
{
    public Uri? Meetings { get; set; }

    /// <summary>The SPOC directory (the administrator's pages).</summary>
    public Uri? Directory { get; set; }

    /// <summary>The notifications service (the manager's notices).</summary>
    public Uri? Notifications { get; set; }

    /// <summary>The metrics service (the MASDG's dashboard, trends and exception report).</summary>
    public Uri? Metrics { get; set; }

    /// <summary>The action plan service (the MASDG's progress table).</summary>
    public Uri? ActionPlan { get; set; }
}
