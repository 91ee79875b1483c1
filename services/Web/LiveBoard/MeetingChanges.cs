using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Jtai.Strategy.Web.LiveBoard;

/// <summary>
/// The open board pages of this web instance, by meeting: each gets a small channel, and a change to its meeting
/// (heard on the bus) is written to every one open for it. Holds nothing else: no data of the meeting, only that it
/// changed, so what a page then shows is read again from the meetings service with the user's own token.
/// </summary>
public sealed class MeetingChanges
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Channel<string>, byte>> open = new();

    /// <summary>Listens for changes to one meeting until the returned subscription is disposed.</summary>
    public Subscription Listen(Guid meetingId)
    {
        // A slow page needs only the newest news: "changed" again replaces "changed".
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        open.GetOrAdd(meetingId, _ => new()).TryAdd(channel, 0);
        return new Subscription(channel.Reader, () =>
        {
            if (open.TryGetValue(meetingId, out var pages))
            {
                pages.TryRemove(channel, out _);
            }
        });
    }

    /// <summary>Tells every page open for the meeting what changed (a word for the page's status line).</summary>
    public void Changed(Guid meetingId, string what)
    {
        if (open.TryGetValue(meetingId, out var pages))
        {
            foreach (var channel in pages.Keys)
            {
                channel.Writer.TryWrite(what);
            }
        }
    }

    public sealed class Subscription(ChannelReader<string> changes, Action stop) : IDisposable
    {
        public ChannelReader<string> Changes { get; } = changes;

        public void Dispose() => stop();
    }
}
