using System.Net.Http.Json;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;
using Microsoft.Extensions.Configuration;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>Which agency kinds satisfy each part of the national minimum: Durham's reading and another partnership's.</summary>
public sealed class NationalMinimumTests
{
    /// <summary>A partnership that counts a mental-health trust and the GP as health, as Working Together's list allows.</summary>
    public static readonly Dictionary<string, string?> BroaderHealth = new()
    {
        ["Meetings:NationalMinimum:0:Name"] = "SocialCare",
        ["Meetings:NationalMinimum:0:SatisfiedBy:0"] = "SocialCare",
        ["Meetings:NationalMinimum:1:Name"] = "Health",
        ["Meetings:NationalMinimum:1:SatisfiedBy:0"] = "Health",
        ["Meetings:NationalMinimum:1:SatisfiedBy:1"] = "MentalHealth",
        ["Meetings:NationalMinimum:1:SatisfiedBy:2"] = "Gp",
        ["Meetings:NationalMinimum:2:Name"] = "Police",
        ["Meetings:NationalMinimum:2:SatisfiedBy:0"] = "Police",
    };

    private static MeetingsOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new MeetingsOptions { PublicBaseUrl = new Uri("https://meetings.test/"), ResponseLinkKey = LinkKey };
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(MeetingsOptions.Section).Bind(options);
        return options;
    }

    [Theory]
    [InlineData(new[] { AgencyKind.SocialCare, AgencyKind.Health, AgencyKind.Police }, new string[0])]
    [InlineData(new[] { AgencyKind.SocialCare, AgencyKind.MentalHealth, AgencyKind.Police }, new[] { "Health" })] // TEWV alone is not health in Durham
    [InlineData(new[] { AgencyKind.SocialCare, AgencyKind.Gp, AgencyKind.Police }, new[] { "Health" })] // nor the GP pilot
    [InlineData(new[] { AgencyKind.Education }, new[] { "SocialCare", "Health", "Police" })]
    public void Durhams_minimum_counts_only_agencies_of_kind_health_as_health(AgencyKind[] present, string[] notMet) =>
        Assert.Equal(notMet, NationalMinimum.Durham.NotMetBy(present));

    [Fact]
    public void Unconfigured_the_minimum_is_durhams_and_a_configured_one_changes_what_counts()
    {
        Assert.Same(NationalMinimum.Durham, Bind([]).Minimum());

        var broader = Bind(BroaderHealth).Minimum();
        Assert.Equal(["SocialCare", "Health", "Police"], broader.Requirements.Select(r => r.Name));
        Assert.Empty(broader.NotMetBy([AgencyKind.SocialCare, AgencyKind.MentalHealth, AgencyKind.Police]));
        Assert.Empty(broader.NotMetBy([AgencyKind.SocialCare, AgencyKind.Gp, AgencyKind.Police]));
        Assert.Equal(["Health"], broader.NotMetBy([AgencyKind.SocialCare, AgencyKind.Probation, AgencyKind.Police]));
    }

    [Fact]
    public void Recording_counts_attendance_against_the_configured_minimum_and_writing_never_counts()
    {
        MeetingAttendance Attended(string code, AgencyKind kind, AttendanceMode mode) => new() { AgencyCode = code, AgencyName = code, AgencyKind = kind, Mode = mode };
        List<MeetingAttendance> attendance =
        [
            Attended("DCC-CSC", AgencyKind.SocialCare, AttendanceMode.AttendedInPerson),
            Attended("DURHAM-POLICE", AgencyKind.Police, AttendanceMode.AttendedByDialIn),
            Attended("CDDFT", AgencyKind.Health, AttendanceMode.WrittenContributionOnly),
            Attended("TEWV", AgencyKind.MentalHealth, AttendanceMode.AttendedByDialIn),
        ];

        Assert.Equal(["Health"], RecordRules.MissingFromMinimum(attendance, NationalMinimum.Durham));
        Assert.Empty(RecordRules.MissingFromMinimum(attendance, Bind(BroaderHealth).Minimum()));
        attendance[3].Mode = AttendanceMode.WrittenContributionOnly;
        Assert.Equal(["Health"], RecordRules.MissingFromMinimum(attendance, Bind(BroaderHealth).Minimum()));
    }

    [Theory]
    [InlineData("Meetings:NationalMinimum:0:Name", "Health", "Meetings:NationalMinimum:0:SatisfiedBy:0", "Health", null)]
    [InlineData("Meetings:NationalMinimum:0:Name", " ", "Meetings:NationalMinimum:0:SatisfiedBy:0", "Health", "needs a Name")]
    [InlineData("Meetings:NationalMinimum:0:Name", "Health", "Meetings:NationalMinimum:1:Name", "health", "needs a Name")] // the second has no kinds
    public void A_configured_minimum_is_validated(string key1, string value1, string key2, string value2, string? failure)
    {
        var result = new MeetingsOptionsValidator().Validate(null, Bind(new() { [key1] = value1, [key2] = value2 }));

        if (failure is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Requirement_names_must_be_unique()
    {
        var duplicate = new Dictionary<string, string?>(BroaderHealth) { ["Meetings:NationalMinimum:2:Name"] = "health" };

        var result = new MeetingsOptionsValidator().Validate(null, Bind(duplicate));

        Assert.Contains("unique", result.FailureMessage, StringComparison.Ordinal);
    }
}

/// <summary>
/// The same convening, once under Durham's minimum and once under a partnership's that counts a
/// mental-health trust as health, on the real servers. A fixture of its own: it gives TEWV a SPOC.
/// </summary>
public sealed class ConfiguredNationalMinimumTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    [Fact]
    public async Task A_partnership_that_counts_a_mental_health_trust_as_health_sees_the_minimum_covered_by_it()
    {
        var now = fixture.Clock.GetUtcNow();
        var tewv = new SpocSnapshot(Guid.NewGuid(), "TEWV", null, "Primary TEWV", 0, "rank0.tewv@spoc.example", null, true, [], 1);
        await fixture.Host.PublishAsync(new SpocAssigned(tewv, now));
        await Eventually.TrueAsync(
            async () => await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.spoc_replica WHERE id = @id", ("id", tewv.SpocId)) == 1,
            because: "the replica consumes the directory's event");
        var partnership = await fixture.StartAnotherInstanceAsync(NationalMinimumTests.BroaderHealth);

        // No acute or community trust: the manager removes them with a reason and invites the mental-health trust.
        var request = fixture.ConveneRequest(now.AddHours(20)) with
        {
            AddAgencies = ["TEWV"],
            RemoveAgencies =
            [
                new RemoveAgencyRequest("CDDFT", RemovalReason.InformationAlreadyShared, null),
                new RemoveAgencyRequest("HDFT", null, null),
            ],
        };

        var durhamTeam = await fixture.CreateTeamAsync();
        var underDurham = await ReadAsync<MeetingResponse>(await fixture.Manager(durhamTeam).PostAsJsonAsync("/api/meetings", request, Json));
        var partnershipTeam = await fixture.CreateTeamAsync(host: partnership);
        var underPartnership = await ReadAsync<MeetingResponse>(await fixture.Manager(partnershipTeam, partnership).PostAsJsonAsync("/api/meetings", request, Json));

        Assert.Contains(underDurham.Invitations, i => i.AgencyCode == "TEWV");
        Assert.Contains(underPartnership.Invitations, i => i.AgencyCode == "TEWV");
        Assert.Equal(["Health"], underDurham.MinimumNotCovered);
        Assert.Empty(underPartnership.MinimumNotCovered);

        // Each host reads the meeting back the same way.
        var readBack = await ReadAsync<MeetingResponse>(await fixture.Manager(partnershipTeam, partnership).GetAsync($"/api/meetings/{underPartnership.Id}"));
        Assert.Empty(readBack.MinimumNotCovered);
        var durhamReadBack = await ReadAsync<MeetingResponse>(await fixture.Manager(durhamTeam).GetAsync($"/api/meetings/{underDurham.Id}"));
        Assert.Equal(["Health"], durhamReadBack.MinimumNotCovered);
    }
}
