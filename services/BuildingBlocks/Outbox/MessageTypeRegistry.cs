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

    private MessageTypeRegistry()
    {
    }

    /// <summary>
    /// The messages this process may store and relay: those of the assemblies its service named when it added
    /// messaging (the contracts; test messages in tests). The building blocks name no message of their own.
    /// </summary>
    public static MessageTypeRegistry Known { get; } = new();

    /// <summary>Adds the <c>[MessageUrn]</c> types of an assembly. Idempotent.</summary>
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

    /// <summary>The type's URN; a type with a <c>[MessageUrn]</c> is known from then on even if its assembly was not named.</summary>
    public string UrnOf(Type messageType)
    {
        if (byType.TryGetValue(messageType, out var urn))
        {
            return urn;
        }

        urn = messageType.GetCustomAttribute<MessageUrnAttribute>()?.Urn.ToString()
            ?? throw new InvalidOperationException($"{messageType.FullName} has no [MessageUrn]; only contracts may go through the outbox.");
        byUrn[urn] = messageType;
        byType[messageType] = urn;
        return urn;
    }

    public Type? TypeOf(string urn) => byUrn.GetValueOrDefault(urn);
}
