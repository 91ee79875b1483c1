using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Jtai.Strategy.Web.Apis;
using Jtai.Strategy.Web.SignIn;

namespace Jtai.Strategy.Web.LiveBoard;

/// <summary>
/// <c>GET /team/meetings/{id}/changes</c>: server-sent events telling an open board page that its meeting changed
/// (the event says only that and a word for what; the page then reads the board again). Authorised as the page is:
/// a team manager, and the meetings service must let this user read the board (its team's meetings only). The
/// stream ends after a few minutes and the browser reconnects, so the check is made again with a fresh token.
/// </summary>
public static class BoardChangesEndpoint
{
    public static readonly TimeSpan StreamFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    public static IEndpointRouteBuilder MapBoardChanges(this IEndpointRouteBuilder app)
    {
        app.MapGet("/team/meetings/{id:guid}/changes", Stream).RequireAuthorization(WebPolicies.TeamManager);
        return app;
    }

    private static async Task<IResult> Stream(Guid id, MeetingsApiClient meetings, MeetingChanges changes, CancellationToken cancellationToken)
    {
        // Listen before the check, so a change between the check and the stream is not missed.
        var subscription = changes.Listen(id);
        var allowed = await meetings.BoardAsync(id, cancellationToken);
        if (allowed.Problem is { } problem)
        {
            subscription.Dispose();
            return problem.Status switch
            {
                HttpStatusCode.Forbidden => TypedResults.Forbid(),
                HttpStatusCode.NotFound => TypedResults.NotFound(),
                _ => TypedResults.StatusCode(StatusCodes.Status502BadGateway),
            };
        }

        return TypedResults.ServerSentEvents(Events(subscription, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(MeetingChanges.Subscription subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = subscription;
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ends.CancelAfter(StreamFor);
        // Tell the page it is connected (it shows that updates are live); comments would not reach its script.
        yield return new SseItem<string>("listening", "ready") { ReconnectionInterval = TimeSpan.FromSeconds(3) };
        while (!ends.IsCancellationRequested)
        {
            string? what = null;
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ends.Token);
                wait.CancelAfter(KeepAlive);
                what = await subscription.Changes.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // A quiet interval: send a keep-alive (proxies close idle streams), or end when the stream's time is up.
            }

            if (ends.IsCancellationRequested)
            {
                yield break;
            }

            yield return what is null ? new SseItem<string>("", "keep-alive") : new SseItem<string>(what, "changed");
        }
    }
}
