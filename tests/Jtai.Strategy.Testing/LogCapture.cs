using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Jtai.Strategy.Testing;

/// <summary>
/// Collects what a service host logs, with each entry's structured fields and the scopes it was logged in, so a test
/// can assert what was logged and that nothing personal or secret was (register with
/// <c>services.AddSingleton&lt;ILoggerProvider&gt;(capture)</c>).
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogEntry> entries = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LogEntry> Entries => entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries, () => scopes);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries, Func<IExternalScopeProvider> scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => scopes().Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            var inScopes = new List<string>();
            scopes().ForEachScope(
                static (scope, texts) =>
                {
                    // A scope as a provider would write it: its text and each of its fields.
                    texts.Add(Convert.ToString(scope, CultureInfo.InvariantCulture) ?? string.Empty);
                    if (scope is IEnumerable<KeyValuePair<string, object?>> scopeFields)
                    {
                        texts.AddRange(scopeFields.Select(f => $"{f.Key}={Convert.ToString(f.Value, CultureInfo.InvariantCulture)}"));
                    }
                },
                inScopes);
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), fields.ToDictionary(f => f.Key, f => f.Value)) { Scopes = inScopes });
        }
    }
}

public sealed record LogEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields)
{
    /// <summary>The scopes the entry was logged in, as text (each scope's text, then its fields as <c>key=value</c>).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];
}
