using System.Collections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Jtai.Strategy.BuildingBlocks.Telemetry;

/// <summary>
/// Wraps the host's logger factory so that no log entry and no log scope carries a secret path (<see cref="SecretPaths"/>):
/// ASP.NET Core's request scope (<c>RequestPath</c>), its "Request starting/finished" lines, HttpClient's request lines
/// and anything of ours. Entries without a secret pass through untouched (same state object), so structured fields keep
/// their types; an entry with one is passed on as a copy whose affected fields, and message, are redacted strings.
/// Scopes are redacted as they are begun, so the redacted copy is what every provider reads.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull =>
            RedactedState.From(state, null, null) is { } redacted ? inner.BeginScope(redacted) : inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            if (RedactedState.From(state, exception, formatter) is { } redacted)
            {
                inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.ToString());
            }
            else
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }

    /// <summary>A log state's fields with secret paths redacted, and its redacted text.</summary>
    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> fields, string text) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => fields.Count;

        public KeyValuePair<string, object?> this[int index] => fields[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => text;

        /// <summary>Null when the state holds no secret path (the usual case: the original is logged as it is).</summary>
        public static RedactedState? From<TState>(TState state, Exception? exception, Func<TState, Exception?, string>? formatter)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> structured)
            {
                var list = structured as IReadOnlyCollection<KeyValuePair<string, object?>> ?? structured.ToList();
                if (!list.Any(f => SecretPaths.MayContainSecret(Text(f.Value))))
                {
                    return null;
                }

                var fields = list.Select(f => Text(f.Value) is { } text && SecretPaths.MayContainSecret(text)
                    ? new KeyValuePair<string, object?>(f.Key, SecretPaths.Redact(text))
                    : f).ToList();
                var message = formatter is not null ? formatter(state, exception) : state.ToString() ?? string.Empty;
                return new RedactedState(fields, SecretPaths.Redact(message));
            }

            var plain = formatter is not null ? formatter(state, exception) : state?.ToString();
            return SecretPaths.MayContainSecret(plain) ? new RedactedState([], SecretPaths.Redact(plain!)) : null;
        }

        // Paths and URLs arrive as strings, PathString or Uri; numbers, ids and dates cannot hold a path.
        private static string? Text(object? value) => value switch
        {
            string s => s,
            PathString p => p.Value,
            Uri u => u.OriginalString,
            _ => null,
        };
    }
}
