namespace Jtai.Strategy.Testing;

/// <summary>
/// Polls a condition of an asynchronous system until it holds or the time is up (not a timing
/// assertion). A probe that throws (e.g. a 404 before a consumer has stored the row) is polled
/// again; if time runs out, the last exception is reported with the timeout.
/// </summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Exception? failure = null;
            T value = default!;
            try
            {
                value = await probe();
                if (done(value))
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failure = ex;
            }

            if (DateTime.UtcNow > deadline)
            {
                var what = $"Condition not met in time{(because is null ? string.Empty : ": " + because)}.";
                throw failure is null
                    ? new TimeoutException($"{what} Last value: {value}")
                    : new TimeoutException($"{what} The last probe failed: {failure.Message}", failure);
            }

            await Task.Delay(100);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, TimeSpan? timeout = null, string? because = null) =>
        GetAsync(probe, v => v, timeout, because);
}
