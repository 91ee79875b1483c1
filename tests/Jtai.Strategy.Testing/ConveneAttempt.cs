using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jtai.Strategy.Testing;

/// <summary>
/// One convene (<c>POST /api/meetings</c>) sent on an open-loop schedule by a load run (the load benchmark, the failover
/// suite): when it was due, sent and answered, and what the meetings service said. <see cref="Status"/> 0: no answer.
/// </summary>
public class ConveneAttempt
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The case facts every load run convenes with (age band 5–10: the rules suggest five agencies).</summary>
    public static object CaseFacts { get; } = new { ageBand = "FiveToTen" };

    public int Index { get; init; }

    public DateTimeOffset Intended { get; init; }

    public DateTimeOffset Sent { get; private set; }

    public DateTimeOffset Completed { get; private set; }

    public int Status { get; private set; }

    public string? Error { get; private set; }

    public string? Reference { get; private set; }

    /// <summary>Each invitation of an accepted convene: the agency and the SPOC the directory replica routed it to.</summary>
    public List<(string Agency, string Recipient)> Invited { get; } = [];

    /// <summary>A convene of a domestic-abuse strategy discussion decided half an hour ago, as <paramref name="token"/>'s team manager.</summary>
    public static HttpRequestMessage Request(string caseReference, DateTimeOffset start, int lengthMinutes, string token, string runName)
    {
        var now = DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/meetings")
        {
            Content = JsonContent.Create(new
            {
                caseReference,
                concernCategory = "DomesticAbuse",
                incidentAt = now.AddHours(-5),
                decisionAt = now.AddMinutes(-30),
                thresholdReason = "RepeatIncidentsCumulativeRisk",
                thresholdReasonText = $"Third call-out in four weeks ({runName}).",
                scheduledStart = start,
                lengthMinutes,
                caseFacts = CaseFacts,
            }, options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>Sends <paramref name="request"/> (and disposes it), recording the answer; a lost connection or timeout is status 0.</summary>
    public async Task SendAsync(HttpClient client, HttpRequestMessage request)
    {
        Sent = DateTimeOffset.UtcNow;
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Completed = DateTimeOffset.UtcNow;
            Status = (int)response.StatusCode;
            if (Status == 201)
            {
                using var document = JsonDocument.Parse(body);
                Reference = document.RootElement.GetProperty("reference").GetString();
                foreach (var invitation in document.RootElement.GetProperty("invitations").EnumerateArray())
                {
                    Invited.Add((invitation.GetProperty("agencyCode").GetString()!, invitation.GetProperty("recipientName").GetString()!));
                }
            }
            else
            {
                Error = body.Length > 300 ? body[..300] : body;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            Completed = DateTimeOffset.UtcNow;
            Status = 0;
            Error = ex.GetType().Name + ": " + ex.Message;
        }
        finally
        {
            request.Dispose();
        }
    }
}
