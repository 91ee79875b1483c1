using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.Meetings;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMeetings();

var app = builder.Build();

app.UseServiceDefaults();
app.MapMeetings();

await app.RunServiceAsync(args);

namespace Jtai.Strategy.Meetings
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class MeetingsService;
}
