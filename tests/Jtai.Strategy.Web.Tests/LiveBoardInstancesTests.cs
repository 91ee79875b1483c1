using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// Two instances of the web service on one broker, as a deployment with several runs them: a team manager has the
/// meeting's board open on each (a page in Debian's Chromium and a raw server-sent-event stream per instance), a SPOC
/// answers through the meetings API, and both instances tell their open pages: each stream says "answered" and each
/// page swaps in the board with the answer, without a reload. Each instance has its own queue for the live board
/// (LiveBoard/BoardChangeConsumer.cs): were it one queue shared by both, the broker would give each change to one
/// instance only, and the other's page would never hear it.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class LiveBoardInstancesTests(WebSystem system) : BrowserTests
{
    private static readonly TimeSpan Heard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_change_reaches_the_open_board_on_either_web_instance()
    {
        await using var second = await system.StartAnotherWebAsync();
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(32), "LB-2026-I" + system.Run);
        var meetingId = (string)meeting["id"]!;
        var invitation = meeting["invitations"]!.AsArray().Single(i => (string)i!["agencyCode"]! == "DURHAM-POLICE")!;
        var boardPath = $"team/meetings/{meetingId}";

        // One sign-in serves both: the cookie is for the host (not the port) and both instances read it with the
        // shared DataProtection keys, as a load balancer in front of them would have it.
        var first = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(first, system, "manager.easington");
        var other = await first.Context.NewPageAsync();
        var pages = new[] { (Page: first, Instance: system.WebAddress), (Page: other, Instance: second.Address) };
        foreach (var (page, instance) in pages)
        {
            await page.GotoAsync(new Uri(instance, boardPath).ToString());
            await Assertions.Expect(page.Locator("#live-board")).ToHaveAttributeAsync("data-live", "true");
            await Assertions.Expect(page.Locator("#board tr[data-agency='DURHAM-POLICE']")).ToContainTextAsync("No answer yet");
        }

        using var manager = await system.SignInOverHttpAsync("manager.easington");
        using var stopStreams = new CancellationTokenSource(Heard + TimeSpan.FromSeconds(30));
        await using var streamOfFirst = await BoardStream.OpenAsync(manager, new Uri(system.WebAddress, boardPath + "/changes"), stopStreams.Token);
        await using var streamOfSecond = await BoardStream.OpenAsync(manager, new Uri(second.Address, boardPath + "/changes"), stopStreams.Token);

        using var police = await system.ApiAsAsync("spoc.police", system.MeetingsAddress);
        var answered = await police.PostAsJsonAsync($"api/invitations/{(string)invitation["invitationId"]!}/answer", new { answer = "AttendByDialIn" });
        Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());

        // Both instances heard it: each stream's news (other changes, the e-mails delivered, may come first) and each page.
        var heard = await Task.WhenAll(streamOfFirst.UntilAsync("answered", Heard), streamOfSecond.UntilAsync("answered", Heard));
        Assert.True(heard[0], $"the first instance's stream said {streamOfFirst.Said}, never \"answered\"");
        Assert.True(heard[1], $"the second instance's stream said {streamOfSecond.Said}, never \"answered\"");
        foreach (var (page, instance) in pages)
        {
            await Assertions.Expect(page.Locator("#board tr[data-agency='DURHAM-POLICE']")).ToContainTextAsync("By dial-in", new() { Timeout = (float)Heard.TotalMilliseconds });
            await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("Updated at");
            Assert.StartsWith(instance.GetLeftPart(UriPartial.Authority), page.Url, StringComparison.Ordinal);
        }
    }

    /// <summary>One instance's <c>/changes</c> stream, read as a browser's EventSource does: events of a name and data.</summary>
    private sealed class BoardStream : IAsyncDisposable
    {
        private readonly HttpResponseMessage response;
        private readonly StreamReader reader;
        private readonly CancellationToken stop;
        private readonly List<string> said = [];

        private BoardStream(HttpResponseMessage response, StreamReader reader, CancellationToken stop)
        {
            this.response = response;
            this.reader = reader;
            this.stop = stop;
        }

        public string Said => "[" + string.Join(", ", said) + "]";

        /// <summary>Opens the stream and reads up to its first event, which says the instance now listens.</summary>
        public static async Task<BoardStream> OpenAsync(HttpClient client, Uri changes, CancellationToken stop)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, changes);
            request.Headers.Accept.ParseAdd("text/event-stream");
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            Assert.True(response.IsSuccessStatusCode, $"{changes} answered {(int)response.StatusCode}");
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var stream = new BoardStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(stop)), stop);
            var (name, _) = await stream.NextAsync(stop);
            Assert.Equal("ready", name);
            return stream;
        }

        /// <summary>Reads "changed" events until one says <paramref name="what"/> (true) or the time is up (false).</summary>
        public async Task<bool> UntilAsync(string what, TimeSpan within)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            deadline.CancelAfter(within);
            try
            {
                while (true)
                {
                    var (name, data) = await NextAsync(deadline.Token);
                    if (name == "changed")
                    {
                        said.Add(data);
                        if (data == what)
                        {
                            return true;
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private async Task<(string? Name, string Data)> NextAsync(CancellationToken cancellationToken)
        {
            string? name = null;
            var data = new List<string>();
            while (true)
            {
                var line = await reader.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("The stream ended.");
                if (line.Length == 0)
                {
                    if (name is not null || data.Count > 0)
                    {
                        return (name, string.Join("\n", data));
                    }

                    continue;
                }

                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    name = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line["data:".Length..].TrimStart());
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            reader.Dispose();
            response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
