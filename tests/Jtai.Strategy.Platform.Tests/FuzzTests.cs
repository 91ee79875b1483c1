using System.Text.Json.Nodes;
using Jtai.Strategy.Testing.Fuzzing;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// A seeded, bounded fuzz run against each service on the real servers: malformed requests generated from its own
/// OpenAPI document (<see cref="OpenApiFuzzer"/>). Not one 5xx, and every 4xx a problem document. The suite sends a
/// few hundred; the benchmark command <c>fuzz --count 5000 --seed N</c> sends the full run (SECURITY.md).
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20261203;
    private const int PerService = 120;

    [Theory]
    [MemberData(nameof(OpenApiDocumentTests.Services), MemberType = typeof(OpenApiDocumentTests))]
    public async Task Malformed_requests_from_the_OpenAPI_document_get_no_5xx_and_only_problem_documents(string service)
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await using var host = OpenApiDocumentTests.Start(service, database, broker);
        var document = JsonNode.Parse(await host.CreateClient().GetStringAsync("/openapi/v1.json"))!.AsObject();

        var report = new FuzzReport();
        await new OpenApiFuzzer(service, document, host.CreateClient, Seed).RunAsync(PerService, report);

        Assert.Equal(PerService, report.Requests);
        Assert.True(report.Findings.Count == 0, report.Summary() + "\n" + string.Join("\n", report.Findings));
        // The run reached the endpoints, not only the sign-in: some requests were judged on their content.
        Assert.Contains(report.ByStatus.Keys, s => s is 400 or 404 or 409 or 413 or 415);
    }
}
