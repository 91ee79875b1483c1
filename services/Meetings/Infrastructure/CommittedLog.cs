namespace Jtai.Strategy.Meetings.Infrastructure;

/// <summary>
/// Log lines that describe a change wait for the change to commit, so the log never tells of something
/// the database does not hold: a unit of work that rolls back (a bridge lost to a race, a consumer or
/// deadline that fails and is retried) logs nothing, and its retry logs once.
/// </summary>
public static class CommittedLog
{
    /// <summary>Writes <paramref name="logLine"/> once the current unit of work commits; drops it if it does not.</summary>
    public static void LogWhenCommitted(this MeetingsDbContext db, Action logLine) => db.WhenCommitted(logLine);
}
