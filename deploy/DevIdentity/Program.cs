using Jtai.Strategy.DevIdentity;

var builder = WebApplication.CreateBuilder(args);

builder.AddDevIdentity();

var app = builder.Build();

app.UseDevIdentity();

await app.RunAsync();

namespace Jtai.Strategy.DevIdentity
{
    /// <summary>Marks this host's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class DevIdentityHost;
}
