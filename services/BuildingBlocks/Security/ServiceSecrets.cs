using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Jtai.Strategy.BuildingBlocks.Security;

/// <summary>
/// Secrets as files, as compose and Kubernetes mount them: every file in the secrets directory (<c>/run/secrets</c>,
/// or <c>Secrets:Directory</c>) is one configuration key, named as its environment variable would be
/// (<c>ConnectionStrings__Postgres</c>), its content the value. Added after the environment, so a file wins over a
/// variable of the same name: a password given as a secret never has to be in the process's environment, where
/// <c>docker inspect</c>, <c>/proc/&lt;pid&gt;/environ</c> and crash dumps show it. No directory, no secrets: nothing changes.
/// The provider is Microsoft.Extensions.Configuration.KeyPerFile, part of the ASP.NET Core shared framework: the SDK
/// refuses a package reference to it (NU1510), so none is added.
/// </summary>
public static class ServiceSecrets
{
    public const string DirectoryKey = "Secrets:Directory";

    /// <summary>Where compose (and Docker) mounts a service's secrets.</summary>
    public const string DefaultDirectory = "/run/secrets";

    public static IHostApplicationBuilder AddServiceSecrets(this IHostApplicationBuilder builder)
    {
        var directory = builder.Configuration[DirectoryKey] is { Length: > 0 } configured ? configured : DefaultDirectory;
        builder.Configuration.AddKeyPerFile(Path.GetFullPath(directory), optional: true, reloadOnChange: false);
        return builder;
    }
}
