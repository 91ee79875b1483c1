using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Invitations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Invitations;

/// <summary>
/// Answering through the signed, expiring, single-use link of an invitation: no account needed.
/// The token proves which invitation is meant; the database says whether the link still stands.
/// Tampered → 400 "Link invalid"; expired → 410; already used → 409; replaced or withdrawn → 410.
/// A browser (Accept: text/html first) opening the link is sent to the web service's answer page with the same token
/// when <c>Meetings:AnswerPageBaseUrl</c> is set: the page reads and answers through these same endpoints, so the
/// link's rules stay here, and the e-mails (also those already sent) keep one address for people and machines.
/// </summary>
public static class RespondApi
{
    private const string LockLinkSql = "SELECT * FROM " + MeetingsDbContext.SchemaName + ".response_link WHERE id = {0} FOR UPDATE";

    public static IEndpointRouteBuilder MapRespondApi(this IEndpointRouteBuilder app)
    {
        // Anonymous: rate-limited by client and by link (AnswerRateLimit), and the body capped before it is read.
        var api = app.MapGroup("/respond").WithTags("Respond by link").AllowAnonymous().WithMetadata(new AnswerByLinkRateLimited());
        api.MapGet("/{token}", ShowInvitation);
        api.MapPost("/{token}", Answer)
            .Accepts<AnswerRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    public static async Task<Results<Ok<ResponsePage>, ProblemHttpResult, RedirectHttpResult>> ShowInvitation(
        string token, HttpRequest request, IOptions<MeetingsOptions> options, IOptions<AnswerRateLimitOptions> limits, MeetingsDbContext db, ResponseLinkSigner signer, InvitationAnswers answers, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (options.Value.AnswerPageBaseUrl is { } answerPage && WantsHtml(request))
        {
            // Before any check: the page asks this endpoint for the invitation (as JSON) and shows the refusal, if any.
            return TypedResults.Redirect(new Uri(answerPage, "answer/" + Uri.EscapeDataString(token)).ToString());
        }

        var now = clock.GetUtcNow();
        var (link, refusal) = await CheckAsync(token, db, signer, now, lockRow: false, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var (meeting, invitation) = (await db.LoadInvitationAsync(link!.InvitationId, cancellationToken))!.Value;
        if (Withdrawn(meeting, invitation) is { } gone)
        {
            return gone;
        }

        var team = await db.TeamOfAsync(meeting, cancellationToken);
        await db.AuditReadAsync(AuditLog.ResponseLinkActor, "invitation.read-by-link", meeting.Id, now, $"{invitation.AgencyCode}: {invitation.Id}", cancellationToken);
        return TypedResults.Ok(new ResponsePage(
            meeting.Reference, team.Name, invitation.AgencyName, invitation.RecipientName, meeting.ScheduledStart, meeting.ScheduledEnd,
            meeting.Bridge!.DialInNumber, meeting.Bridge.ConferenceCode, meeting.Pin, invitation.RespondBy,
            Enum.GetValues<Contracts.Meetings.InvitationAnswer>(), Enum.GetValues<DeclineReason>(), MaxContributionByLink(answers, limits.Value),
            invitation.WrittenContribution is not null));
    }

    /// <summary>
    /// The token's signature is checked before the body is read, and the body is read no further than
    /// <c>Meetings:AnswerRateLimit:MaxBodyBytes</c>: a stranger cannot make the service parse a large body.
    /// </summary>
    public static async Task<Results<Ok<AnswerResponse>, ValidationProblem, ProblemHttpResult>> Answer(
        string token, HttpRequest http, IOptions<AnswerRateLimitOptions> limits, IOptions<JsonOptions> json, MeetingsDbContext db, ResponseLinkSigner signer, InvitationAnswers answers, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (signer.Verify(token) is null)
        {
            return LinkInvalid();
        }

        var maxBytes = limits.Value.MaxBodyBytes;
        var (request, unread) = await BoundedJsonBody.ReadAsync<AnswerRequest>(http, maxBytes, json.Value.SerializerOptions, cancellationToken);
        if (unread is not null)
        {
            return unread.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Problems.Of(StatusCodes.Status413PayloadTooLarge, "Answer too large", $"An answer by link may hold at most {maxBytes} bytes. Sign in to send a longer written contribution.")
                : unread;
        }

        // No version comes with an answer: a delivery receipt or reminder committed to the same invitation meanwhile is
        // tried again on fresh state, not shown to the SPOC as a conflict.
        return await ConflictRetry.RunAsync(db, async Task<Results<Ok<AnswerResponse>, ValidationProblem, ProblemHttpResult>> (ct) =>
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The link row stays locked until commit: of two simultaneous answers, the second sees it spent.
            var (link, refusal) = await CheckAsync(token, db, signer, now, lockRow: true, ct);
            if (refusal is not null)
            {
                return refusal;
            }

            var (meeting, invitation) = (await db.LoadInvitationAsync(link!.InvitationId, ct))!.Value;
            if (Withdrawn(meeting, invitation) is { } gone)
            {
                return gone;
            }

            var errors = answers.Validate(request!.ToAnswer());
            if (errors.Any)
            {
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }

            var answered = await answers.AnswerAsync(meeting, invitation, request.ToAnswer(), AuditLog.ResponseLinkActor, byLink: true, ct);
            await transaction.CommitAsync(ct);
            return TypedResults.Ok(answered);
        }, cancellationToken);
    }

    private static async Task<(ResponseLink? Link, ProblemHttpResult? Refusal)> CheckAsync(
        string token, MeetingsDbContext db, ResponseLinkSigner signer, DateTimeOffset now, bool lockRow, CancellationToken cancellationToken)
    {
        if (signer.Verify(token) is not { } claims)
        {
            return (null, LinkInvalid());
        }

        if (now >= claims.ExpiresAt)
        {
            return (null, Problems.Gone("Link expired", $"This response link expired at {claims.ExpiresAt:yyyy-MM-dd HH:mm} UTC, when the meeting started. Sign in to see the meeting."));
        }

        var query = lockRow
            ? db.ResponseLinks.FromSqlRaw(LockLinkSql, claims.LinkId)
            : db.ResponseLinks.Where(l => l.Id == claims.LinkId);
        var link = await query.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (link is null || link.InvitationId != claims.InvitationId)
        {
            // Well signed but unknown: a key shared with another environment, or a forged id. Either way, invalid.
            return (null, LinkInvalid());
        }

        if (link.ConsumedAt is { } used)
        {
            return (null, Problems.Conflict("Link already used", $"This response link was used at {used:yyyy-MM-dd HH:mm} UTC; each link answers once. Sign in to change the answer."));
        }

        if (link.RevokedAt is not null)
        {
            // Say why the link no longer stands: the meeting was cancelled, the invitation passed on, or the meeting moved.
            var state = await db.Invitations.AsNoTracking().Where(i => i.Id == link.InvitationId)
                .Join(db.Meetings, i => i.MeetingId, m => m.Id, (i, m) => new { Meeting = m.Status, Invitation = i.Status })
                .SingleAsync(cancellationToken);
            return (null, state.Meeting == MeetingStatus.Cancelled ? Problems.Gone("Meeting cancelled", "The meeting was cancelled; there is nothing to answer.")
                : state.Invitation == InvitationStatus.Superseded ? Problems.Gone("Invitation passed on", "This invitation passed to a colleague in your agency and can no longer be answered here.")
                : Problems.Gone("Link replaced", "The meeting has moved since this link was sent. Use the link in the most recent message."));
        }

        return (link, null);
    }

    /// <summary>True when the client ranks HTML above JSON (a browser); machines (JSON, <c>*/*</c> or no Accept) get JSON.</summary>
    internal static bool WantsHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var html = Quality("text/html");
        return html > 0 && html > Math.Max(Quality("application/json"), Quality("application/problem+json"));
    }

    /// <summary>
    /// The longest written contribution the page should accept: what fits in the capped body (1 KB left for the other
    /// fields), or the service's limit if lower. Plain text fits; text the client escapes (\uXXXX) fits less and is refused whole (413).
    /// </summary>
    internal static int MaxContributionByLink(InvitationAnswers answers, AnswerRateLimitOptions limits) =>
        Math.Min(answers.MaxContribution, limits.MaxBodyBytes - 1024);

    private static ProblemHttpResult? Withdrawn(StrategyMeeting meeting, Invitation invitation) =>
        !meeting.IsScheduled ? Problems.Gone("Meeting cancelled", $"{meeting.Reference} was cancelled; there is nothing to answer.")
        : !invitation.IsCurrent ? Problems.Gone("Invitation passed on", "This invitation passed to a colleague in your agency and can no longer be answered here.")
        : null;

    private static ProblemHttpResult LinkInvalid() => Problems.Of(
        StatusCodes.Status400BadRequest,
        "Link invalid",
        "This response link is not valid. Use the link exactly as it arrived in the invitation, or sign in to answer.");
}
