using Jtai.Strategy.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddWeb();

var app = builder.Build();

app.UseWeb();

await app.RunAsync();

namespace Jtai.Strategy.Web
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class WebService;
}
