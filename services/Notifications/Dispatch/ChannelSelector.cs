using Jtai.Strategy.Notifications.Delivery;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Notifications.Dispatch;

/// <summary>
/// Picks the channel for a recipient: every <see cref="IDeliveryChannel"/> registered in DI, in the configured order of
/// preference (unlisted channels last), the first that can reach the recipient. Adding SMS is one more registration.
/// </summary>
public sealed class ChannelSelector
{
    private readonly IReadOnlyList<IDeliveryChannel> ordered;

    public ChannelSelector(IEnumerable<IDeliveryChannel> channels, IOptions<DeliveryOptions> options)
    {
        var preference = options.Value.ChannelPreference;
        ordered = channels
            .Select((channel, index) => (channel, rank: preference.IndexOf(channel.ChannelName) is var i and >= 0 ? i : preference.Count + index))
            .OrderBy(c => c.rank)
            .Select(c => c.channel)
            .ToList();
        var duplicate = ordered.GroupBy(c => c.ChannelName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two delivery channels are named '{duplicate.Key}'.");
        }
    }

    public IReadOnlyList<IDeliveryChannel> Channels => ordered;

    public IDeliveryChannel? Select(OutgoingNotification notification) => ordered.FirstOrDefault(c => c.CanDeliver(notification));

    public IDeliveryChannel? ByName(string name) => ordered.FirstOrDefault(c => string.Equals(c.ChannelName, name, StringComparison.Ordinal));
}
