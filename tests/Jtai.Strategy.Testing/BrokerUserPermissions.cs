namespace Jtai.Strategy.Testing;

/// <summary>
/// One service's RabbitMQ user and its permissions, as <c>deploy/rabbitmq/permissions.tsv</c> gives them: the file
/// <c>scripts/infra.sh up</c> and the compose broker provision from, read here so tests grant exactly the same.
/// </summary>
public sealed record BrokerUserPermissions(string User, string Configure, string Write, string Read)
{
    public static string FilePath => Path.Combine(ServiceProcess.RepositoryRoot, "deploy", "rabbitmq", "permissions.tsv");

    /// <summary>The development password the provisioning gives a user when none is configured (development only).</summary>
    public string DevelopmentPassword => User + "-dev";

    public static IReadOnlyList<BrokerUserPermissions> All { get; } = Load();

    public static BrokerUserPermissions Of(string user) =>
        All.SingleOrDefault(p => p.User == user) ?? throw new ArgumentException($"{user} is not a user of {FilePath}", nameof(user));

    private static List<BrokerUserPermissions> Load() =>
        File.ReadAllLines(FilePath)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(f => f.Length == 4 ? new BrokerUserPermissions(f[0], f[1], f[2], f[3]) : throw new FormatException($"{FilePath}: '{string.Join('\t', f)}' has not 4 tab-separated fields"))
            .ToList();
}
