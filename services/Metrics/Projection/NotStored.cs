using System.Text.Json.Nodes;
using Jtai.Strategy.Contracts.Meetings;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>
/// The parts of events the event log does not keep, because no figure needs them and the log keeps what it holds for
/// good: the response and sign-in links (the response link's token answers for an agency), the dial-in details (the
/// team's bridge number, conference code and the meeting's PIN) and the recipients' names and addresses. The fold reads
/// none of them; a rebuild reads the stored rows as the current records with these parts empty.
/// Migration <c>0002_event_log_only_what_metrics_needs</c> strips the same parts from rows logged before (keep the two alike).
/// </summary>
public static class NotStored
{
    /// <summary>For each logged type, the JSON paths (camelCase, as <see cref="ProjectedEvents.Json"/> writes) left out.</summary>
    public static readonly IReadOnlyDictionary<Type, string[][]> Paths = new Dictionary<Type, string[][]>
    {
        [typeof(InvitationIssued)] = [["dialIn"], ["links", "response"], ["links", "signIn"], ["recipient", "name"], ["recipient", "email"]],
        [typeof(AgreedActionsCirculated)] = [["signInLink"], ["recipients"]],
    };

    /// <summary>The message as the log keeps it.</summary>
    public static string Body(object message)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(message, message.GetType(), ProjectedEvents.Json)!;
        if (Paths.TryGetValue(message.GetType(), out var paths))
        {
            foreach (var path in paths)
            {
                var parent = path[..^1].Aggregate<string, JsonNode?>(node, (n, name) => n?[name]);
                (parent as JsonObject)?.Remove(path[^1]);
            }
        }

        return node.ToJsonString(ProjectedEvents.Json);
    }
}
