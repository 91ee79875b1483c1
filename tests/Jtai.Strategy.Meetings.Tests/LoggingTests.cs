using System.Globalization;
using System.Net.Http.Json;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;
using Microsoft.Extensions.Logging;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>The service's own log: each committed step with its codes, ids and meeting reference, and nothing personal.</summary>
public sealed class LoggingTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    [Fact]
    public async Task Convening_issuing_and_answering_are_logged_with_references_and_codes_but_nothing_about_the_family_or_the_recipients()
    {
        // What a manager might type despite the guidance: the family's name, address and the child's date of birth.
        const string caseReference = "LOG/2026/77341";
        const string familyName = "Marchbank";
        const string address = "14 Quarry Lane";
        const string dateOfBirth = "03/04/2017";
        const string contribution = "Ellie Marchbank told the school nurse about the shouting at home.";
        var team = await fixture.CreateTeamAsync();
        var request = fixture.ConveneRequest() with
        {
            CaseReference = caseReference,
            ThresholdReasonText = $"Third call-out to the {familyName} family at {address}; Ellie {familyName} (born {dateOfBirth}) was present.",
        };

        var meeting = await fixture.ConveneAsync(team, request);
        var issued = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, meeting.Invitations.Count);
        var police = issued.Single(i => i.AgencyCode == "DURHAM-POLICE");
        var answered = await ReadAsync<AnswerResponse>(await fixture.Host.AnonymousClient().PostAsJsonAsync(
            police.Links.Response.AbsolutePath, new AnswerRequest(InvitationAnswer.ContributeInWriting, null, null, contribution), Json));
        Assert.Equal(InvitationAnswer.ContributeInWriting, answered.Answer);

        // Each step is logged when its unit of work commits, before the HTTP answer: no waiting needed.
        var logs = fixture.Logs.Entries;
        var convened = Assert.Single(logs, e => e.Category == typeof(MeetingConvener).FullName && Equals(e.Fields.GetValueOrDefault("MeetingReference"), meeting.Reference));
        Assert.Equal(LogLevel.Information, convened.Level);
        Assert.Equal(meeting.Id, convened.Fields["MeetingId"]);
        Assert.Equal(team, convened.Fields["TeamCode"]);
        Assert.Equal(TestDirectory.SchoolAgeDomesticAbuseInvitees.Length, convened.Fields["InvitedAgencies"]);
        Assert.Equal(false, convened.Fields["ConvenedBeyondLimit"]);

        var issuedLogs = logs.Where(e => e.Category == typeof(InvitationIssuer).FullName && Equals(e.Fields.GetValueOrDefault("MeetingReference"), meeting.Reference)).ToList();
        Assert.All(issuedLogs, e => Assert.Equal(LogLevel.Information, e.Level));
        Assert.Equal(TestDirectory.SchoolAgeDomesticAbuseInvitees, issuedLogs.Select(e => (string)e.Fields["AgencyCode"]!).Order(StringComparer.Ordinal));
        Assert.Equal(
            issued.Select(i => (i.AgencyCode, i.InvitationId, i.Recipient.Role)).OrderBy(i => i.AgencyCode, StringComparer.Ordinal),
            issuedLogs.Select(e => ((string)e.Fields["AgencyCode"]!, (Guid)e.Fields["InvitationId"]!, (RecipientRole)e.Fields["RecipientRole"]!)).OrderBy(i => i.Item1, StringComparer.Ordinal));

        var answer = Assert.Single(logs, e => e.Category == typeof(InvitationAnswers).FullName && Equals(e.Fields.GetValueOrDefault("InvitationId"), police.InvitationId));
        Assert.Equal(("DURHAM-POLICE", InvitationAnswer.ContributeInWriting, "by link"), (answer.Fields["AgencyCode"], answer.Fields["Answer"], answer.Fields["AnsweredThrough"]));

        // Nothing the manager typed, nothing about the family, no recipient's name or address, no PIN, no link or token.
        var never = new List<string> { caseReference, familyName, address, dateOfBirth, contribution, meeting.Pin };
        foreach (var invitation in issued)
        {
            var token = invitation.Links.Response.AbsolutePath["/respond/".Length..];
            never.AddRange([invitation.Recipient.Email, invitation.Recipient.Name, invitation.Links.Response.ToString(), token]);
        }

        // The replica's log of the directory's events is scanned too (it carries the SPOCs' codes and ids, not their names).
        var primary = TestDirectory.Spoc("DURHAM-POLICE", 0);
        Assert.Contains(logs, e => Equals(e.Fields.GetValueOrDefault("SpocId"), primary.SpocId) && Equals(e.Fields.GetValueOrDefault("Kind"), "SpocAssigned"));
        never.AddRange([primary.FullName, primary.SecureEmail]);
        var leaks =
            from entry in logs
            from text in entry.Fields.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty).Append(entry.Message)
            from secret in never
            where text.Contains(secret, StringComparison.OrdinalIgnoreCase)
            select $"{entry.Category}: \"{entry.Message}\" contains \"{secret}\"";
        Assert.Empty(leaks);
    }
}
