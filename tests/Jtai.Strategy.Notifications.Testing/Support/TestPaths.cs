using System.Reflection;

namespace Jtai.Strategy.Notifications.Testing;

public static class TestPaths
{
    public const string SystemPython = "/usr/bin/python3";
    public const string Aiosmtpd = "/usr/bin/aiosmtpd";

    /// <summary>This library's source folder: js/ lives there, so node_modules is installed once for every test project.</summary>
    public static string SupportDirectory { get; } =
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NotificationsTestingDirectory").Value!;

    /// <summary>Where the Python helpers are copied at build time (the running test project's output).</summary>
    public static string PythonDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "python");
}
