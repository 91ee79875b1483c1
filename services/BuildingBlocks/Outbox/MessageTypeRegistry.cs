using System.Collections.Concurrent;
using System.Reflection;
using MassTransit;

namespace Jtai.Strategy.BuildingBlocks.Outbox;

/// <summary>
/// Maps contract types to their stable URNs and back. The outbox stores the URN, not the CLR name,
/// so renaming or moving a record does not strand rows written by an older build.
/// </summary>
public sealed class MessageTypeRegistry
{
    private readonly ConcurrentDictionary<string, Type> byUrn = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> byType = new();

    private MessageTypeRegistry(Assembly contracts) => Include(contracts);

    /// <summary>Knows every message of the contracts assembly; others are added with <see cref="Include"/>.</summary>
    public static MessageTypeRegistry ForContracts { get; } = new(typeof(Contracts.SpocDirectory.SpocAssigned).Assembly);

    /// <summary>Adds the <c>[MessageUrn]</c> types of another assembly (test messages). Idempotent.</summary>
    public MessageTypeRegistry Include(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            if (type.GetCustomAttribute<MessageUrnAttribute>()?.Urn.ToString() is { } urn)
            {
                byUrn[urn] = type;
                byType[type] = urn;
            }
        }

        return this;
    }

    public string UrnOf(Type messageType) =>
        byType.TryGetValue(messageType, out var urn)
            ? urn
            : throw new InvalidOperationException($"{messageType.FullName} has no [MessageUrn] in a registered contracts assembly; only contracts may go through the outbox.");

    public Type? TypeOf(string urn) => byUrn.GetValueOrDefault(urn);
}
