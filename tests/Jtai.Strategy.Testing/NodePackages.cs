using Xunit;

namespace Jtai.Strategy.Testing;

/// <summary>
/// npm packages a test runs with node, pinned by the package-lock.json of a source folder and installed
/// there once (node_modules is git-ignored) with <c>npm ci</c>.
/// </summary>
public static class NodePackages
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>Installs <paramref name="directory"/>'s locked packages unless <paramref name="probePackage"/> is already there.</summary>
    public static async Task EnsureInstalledAsync(string directory, string probePackage)
    {
        await InstallLock.WaitAsync();
        try
        {
            // Test assemblies run in parallel processes and share the folder: a file lock keeps one npm ci at a time.
            using var processLock = await AcquireFileLockAsync(Path.Combine(directory, ".install.lock"));
            if (File.Exists(Path.Combine(directory, "node_modules", probePackage, "package.json")))
            {
                return;
            }

            var result = await ProcessRunner.RunAsync(
                "npm", ["ci", "--no-audit", "--no-fund"], directory, timeout: TimeSpan.FromMinutes(3));
            Assert.True(result.ExitCode == 0, $"npm ci failed in {directory}: {result.StandardError}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
