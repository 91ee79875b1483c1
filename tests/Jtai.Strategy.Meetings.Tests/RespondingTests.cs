using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;
using Npgsql;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>Answers: through the signed single-use link (no account) or signed in, own agency only.</summary>
public sealed class RespondingTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    private async Task<(MeetingResponse Meeting, IReadOnlyList<InvitationIssued> Issued)> ConveneAsync(DateTimeOffset? start = null)
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.ConveneAsync(team, fixture.ConveneRequest(start));
        return (meeting, await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, meeting.Invitations.Count));
    }

    private static string PathOf(Uri link) => link.AbsolutePath;

    [Fact]
    public async Task A_valid_link_shows_the_invitation_and_answers_once_and_the_manager_sees_the_contribution()
    {
        var (meeting, issued) = await ConveneAsync();
        var police = issued.Single(i => i.AgencyCode == "DURHAM-POLICE");
        var anonymous = fixture.Host.AnonymousClient();

        var page = await ReadAsync<ResponsePage>(await anonymous.GetAsync(PathOf(police.Links.Response)));
        Assert.Equal(meeting.Reference, page.MeetingReference);
        Assert.Equal(meeting.Pin, page.Pin);
        Assert.Equal(police.Links.RespondBy, page.RespondBy);
        var raw = await (await anonymous.GetAsync(PathOf(police.Links.Response))).Content.ReadAsStringAsync();
        Assert.DoesNotContain(meeting.CaseReference, raw, StringComparison.Ordinal);

        const string contribution = "Two call-outs on record (12 and 19 Feb); no arrests. Officer in case available by phone.";
        var answered = await ReadAsync<AnswerResponse>(await anonymous.PostAsJsonAsync(PathOf(police.Links.Response),
            new AnswerRequest(InvitationAnswer.ContributeInWriting, null, null, contribution), Json));
        Assert.Equal(InvitationAnswer.ContributeInWriting, answered.Answer);
        Assert.True(answered.AnsweredWithinLimit);

        var published = Assert.Single(await fixture.Probe.WaitForAllAsync<InvitationAnswered>(m => m.InvitationId == police.InvitationId));
        Assert.True(published.AnsweredByLink);
        Assert.True(published.HasWrittenContribution);
        Assert.Equal("DURHAM-POLICE", published.AgencyCode);

        var board = await ReadAsync<BoardResponse>(await fixture.Manager(meeting.TeamCode).GetAsync($"/api/meetings/{meeting.Id}/board"));
        var row = Assert.Single(board.Agencies, a => a.AgencyCode == "DURHAM-POLICE");
        Assert.Equal(InvitationAnswer.ContributeInWriting, row.Answer);
        Assert.Equal(contribution, row.WrittenContribution);
        Assert.True(row.AnsweredByLink);
        Assert.All(board.Agencies.Where(a => a.AgencyCode != "DURHAM-POLICE"), a => Assert.Null(a.Answer));

        // The answer and the reads are audited; the link reader is recorded as such.
        Assert.True(await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @m AND actor = 'response-link' AND action = 'invitation.answered'", ("m", meeting.Id)) == 1);
        Assert.True(await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @m AND actor = @a AND action = 'meeting.board.read'", ("m", meeting.Id), ("a", "manager-" + meeting.TeamCode)) == 1);

        var again = await anonymous.PostAsJsonAsync(PathOf(police.Links.Response), new AnswerRequest(InvitationAnswer.AttendInPerson, null, null, null), Json);
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "Link already used");
        await AssertProblemAsync(await anonymous.GetAsync(PathOf(police.Links.Response)), HttpStatusCode.Conflict, "Link already used");
    }

    [Fact]
    public async Task An_answer_that_meets_a_background_change_to_its_invitation_is_recorded_not_refused_as_a_conflict()
    {
        var (meeting, issued) = await ConveneAsync();
        var police = issued.Single(i => i.AgencyCode == "DURHAM-POLICE");

        // A background change (as a delivery receipt makes) holds the invitation's row, and commits only once the
        // answer's own update waits behind it: the answer read the row before, so its version is then stale.
        await using var background = new NpgsqlConnection(fixture.Database.ConnectionString);
        await background.OpenAsync();
        await using var change = await background.BeginTransactionAsync();
        await using (var touch = new NpgsqlCommand("UPDATE meetings.invitation SET delivery_state = delivery_state WHERE id = @id", background, change))
        {
            touch.Parameters.AddWithValue("id", police.InvitationId);
            Assert.Equal(1, await touch.ExecuteNonQueryAsync());
        }

        var answering = fixture.Host.AnonymousClient().PostAsJsonAsync(PathOf(police.Links.Response),
            new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json);
        await Eventually.TrueAsync(async () => await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE%invitation%'") > 0,
            because: "the answer's update waits for the background change");
        await change.CommitAsync();

        var answered = await ReadAsync<AnswerResponse>(await answering);
        Assert.Equal(InvitationAnswer.AttendByDialIn, answered.Answer);
        var published = Assert.Single(await fixture.Probe.WaitForAllAsync<InvitationAnswered>(m => m.InvitationId == police.InvitationId));
        Assert.Equal(InvitationAnswer.AttendByDialIn, published.Answer);
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @m AND action = 'invitation.answered'", ("m", meeting.Id)));
    }

    [Fact]
    public async Task A_browser_opening_the_link_is_sent_to_the_web_answer_page_with_the_same_token_and_machines_still_get_json()
    {
        var (meeting, issued) = await ConveneAsync();
        var path = PathOf(issued[0].Links.Response);
        var token = path["/respond/".Length..];
        var anonymous = fixture.Host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var browser = new HttpRequestMessage(HttpMethod.Get, path);
        browser.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");
        var redirected = await anonymous.SendAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal(new Uri(AnswerPage + "answer/" + token), redirected.Headers.Location);

        // JSON first, anything (curl) or no Accept at all: the JSON API, as before; and the link is not spent by any of it.
        foreach (var accept in new[] { "application/json", "application/json, text/html;q=0.5", "*/*", null })
        {
            using var machine = new HttpRequestMessage(HttpMethod.Get, path);
            if (accept is not null)
            {
                machine.Headers.TryAddWithoutValidation("Accept", accept);
            }

            Assert.Equal(meeting.Reference, (await ReadAsync<ResponsePage>(await anonymous.SendAsync(machine))).MeetingReference);
        }
    }

    [Fact]
    public async Task A_tampered_link_is_refused_as_invalid()
    {
        var (_, issued) = await ConveneAsync();
        var path = PathOf(issued[0].Links.Response);
        var token = path["/respond/".Length..];
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var otherInvitation = PathOf(issued[1].Links.Response)["/respond/".Length..];
        var anonymous = fixture.Host.AnonymousClient();

        // Another invitation's payload under this signature, a flipped payload character, a truncated signature.
        foreach (var forged in new[]
        {
            otherInvitation[..otherInvitation.IndexOf('.', StringComparison.Ordinal)] + token[dot..],
            (token[0] == 'A' ? "B" : "A") + token[1..],
            token[..^3],
            "garbage",
        })
        {
            await AssertProblemAsync(await anonymous.GetAsync("/respond/" + forged), HttpStatusCode.BadRequest, "Link invalid");
            await AssertProblemAsync(await anonymous.PostAsJsonAsync("/respond/" + forged, new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json),
                HttpStatusCode.BadRequest, "Link invalid");
        }

        // The genuine link still works afterwards.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync(path, new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json)).StatusCode);
    }

    [Fact]
    public async Task A_link_expires_when_the_meeting_starts()
    {
        var (meeting, issued) = await ConveneAsync(fixture.Clock.GetUtcNow().AddMinutes(40));
        var anonymous = fixture.Host.AnonymousClient();
        var link = PathOf(issued.Single(i => i.AgencyCode == "DCC-EDUCATION").Links.Response);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(link)).StatusCode);

        fixture.Clock.Set(meeting.ScheduledStart);

        await AssertProblemAsync(await anonymous.GetAsync(link), HttpStatusCode.Gone, "Link expired");
        await AssertProblemAsync(await anonymous.PostAsJsonAsync(link, new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json), HttpStatusCode.Gone, "Link expired");
    }

    [Fact]
    public async Task A_spoc_reads_and_answers_its_own_agencys_invitations_only()
    {
        var (meeting, issued) = await ConveneAsync();
        var health = issued.Single(i => i.AgencyCode == "CDDFT");
        var police = issued.Single(i => i.AgencyCode == "DURHAM-POLICE");
        var policeSpoc = fixture.Spoc("DURHAM-POLICE");

        Assert.Equal(HttpStatusCode.Forbidden, (await policeSpoc.GetAsync($"/api/invitations/{health.InvitationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await policeSpoc.PostAsJsonAsync($"/api/invitations/{health.InvitationId}/answer",
            new AnswerRequest(InvitationAnswer.AttendInPerson, null, null, null), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Manager(meeting.TeamCode).GetAsync($"/api/invitations/{police.InvitationId}")).StatusCode);

        var listed = await ReadAsync<List<SpocInvitationResponse>>(await policeSpoc.GetAsync("/api/invitations"));
        Assert.Contains(listed, i => i.InvitationId == police.InvitationId);
        Assert.All(listed, i => Assert.Equal("DURHAM-POLICE", i.AgencyCode));

        var own = await ReadAsync<SpocInvitationResponse>(await policeSpoc.GetAsync($"/api/invitations/{police.InvitationId}"));
        Assert.Equal(meeting.CaseReference, own.CaseReference); // case details are behind sign-in
        Assert.Equal(meeting.Pin, own.Pin);

        var missingReason = await policeSpoc.PostAsJsonAsync($"/api/invitations/{police.InvitationId}/answer", new AnswerRequest(InvitationAnswer.Decline, null, null, null), Json);
        await ConveningTests.AssertFieldErrorAsync(missingReason, "declineReason");
        var tooLong = await policeSpoc.PostAsJsonAsync($"/api/invitations/{police.InvitationId}/answer",
            new AnswerRequest(InvitationAnswer.ContributeInWriting, null, null, new string('x', 20_001)), Json);
        await ConveningTests.AssertFieldErrorAsync(tooLong, "writtenContribution");

        var declined = await ReadAsync<AnswerResponse>(await policeSpoc.PostAsJsonAsync($"/api/invitations/{police.InvitationId}/answer",
            new AnswerRequest(InvitationAnswer.Decline, DeclineReason.NoInvolvementWithFamily, null, null), Json));
        Assert.Equal(InvitationAnswer.Decline, declined.Answer);
        var published = Assert.Single(await fixture.Probe.WaitForAllAsync<InvitationAnswered>(m => m.InvitationId == police.InvitationId));
        Assert.False(published.AnsweredByLink);
        Assert.Equal("NoInvolvementWithFamily", published.DeclineReason);

        // Answering signed in spends the emailed link too.
        await AssertProblemAsync(await fixture.Host.AnonymousClient().PostAsJsonAsync(PathOf(police.Links.Response),
            new AnswerRequest(InvitationAnswer.AttendInPerson, null, null, null), Json), HttpStatusCode.Conflict, "Link already used");

        Assert.True(await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @m AND actor = 'spoc-DURHAM-POLICE' AND action = 'invitation.read'", ("m", meeting.Id)) == 1);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, JsonDocument.Parse(body).RootElement.GetProperty("title").GetString());
    }
}
