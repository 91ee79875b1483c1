using System.Reflection;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Support;

internal static class TestPaths
{
    public const string SystemPython = "/usr/bin/python3";
    public const string Aiosmtpd = "/usr/bin/aiosmtpd";

    /// <summary>The test project's source folder (for js/, whose node_modules is installed once there).</summary>
    public static string ProjectDirectory { get; } =
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TestProjectDirectory").Value!;

    /// <summary>Where the Python helpers are copied at build time.</summary>
    public static string PythonDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "python");
}
