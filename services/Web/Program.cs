using Jtai.Strategy.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddWeb();

var app = builder.Build();

app.UseWeb();

// The deployment step every service has (scripts/run.sh runs `migrate` for each): the web service keeps no database,
// and its one queue (the live board's) is its instance's own, declared when the instance starts: nothing to do.
if (!args.Contains("migrate", StringComparer.Ordinal))
{
    await app.RunAsync();
}

namespace Jtai.Strategy.Web
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class WebService;
}
