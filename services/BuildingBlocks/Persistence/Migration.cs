using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>
/// A forward-only schema change. Its id orders it; its checksum guards against an applied
/// migration being edited afterwards (write a new one instead).
/// </summary>
public sealed record Migration(string Id, string Sql)
{
    // Computed, not stored: a copy made with `with { Sql = ... }` must not keep the old checksum.
    public string Checksum => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>Every embedded resource named <c>*.Migrations.*.sql</c> in the assembly, ordered by name.</summary>
    public static IReadOnlyList<Migration> FromEmbeddedResources(Assembly assembly)
    {
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var fileName = n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..^".sql".Length];
                return new Migration(fileName, reader.ReadToEnd());
            })
            .ToList();
    }

    /// <summary>The building blocks' own tables (outbox, inbox), applied before a service's migrations.</summary>
    public static IReadOnlyList<Migration> BuildingBlocks { get; } = FromEmbeddedResources(typeof(Migration).Assembly);
}
