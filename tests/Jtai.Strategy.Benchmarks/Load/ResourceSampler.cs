using System.Globalization;

namespace Jtai.Strategy.Benchmarks.Load;

/// <summary>
/// Samples each service process's resident memory (<c>/proc/PID/status</c> VmRSS) and CPU time
/// (<c>/proc/PID/stat</c> utime + stime) every 250 ms. A process killed and started again is a new PID: its CPU
/// seconds are added to the service's, its peak counts like any other instance's.
/// </summary>
public sealed class ResourceSampler(Func<IEnumerable<(string Service, int ProcessId)>> processes) : IAsyncDisposable
{
    // USER_HZ: the unit of utime/stime. 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100.0;

    private readonly Dictionary<(string Service, int ProcessId), (long PeakRssKb, long CpuTicks)> seen = [];
    private readonly Dictionary<(string Service, int ProcessId), long> cpuAtMark = [];
    private readonly CancellationTokenSource stop = new();
    private Task? loop;

    public void Start() => loop = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                SampleOnce();
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    });

    /// <summary>Per service: the highest RSS of any of its processes (MiB) and the CPU seconds of all of them.</summary>
    public IReadOnlyDictionary<string, (double PeakRssMb, double CpuSeconds)> Totals()
    {
        lock (seen)
        {
            return seen.GroupBy(s => s.Key.Service).ToDictionary(
                g => g.Key,
                g => (g.Max(s => s.Value.PeakRssKb) / 1024.0, g.Sum(s => s.Value.CpuTicks) / TicksPerSecond));
        }
    }

    /// <summary>
    /// Remembers each process's CPU time now (after start-up and provisioning), so <see cref="CpuSinceMark"/> gives the
    /// work of the run itself: start-up and the JIT compiler's first minute are not part of what an e-mail costs.
    /// </summary>
    public void Mark()
    {
        SampleOnce();
        lock (seen)
        {
            foreach (var (key, value) in seen)
            {
                cpuAtMark[key] = value.CpuTicks;
            }
        }
    }

    /// <summary>Per service: CPU seconds of all its processes since <see cref="Mark"/> (a process started later counts whole).</summary>
    public IReadOnlyDictionary<string, double> CpuSinceMark()
    {
        lock (seen)
        {
            return seen.GroupBy(s => s.Key.Service).ToDictionary(
                g => g.Key,
                g => g.Sum(s => s.Value.CpuTicks - cpuAtMark.GetValueOrDefault(s.Key)) / TicksPerSecond);
        }
    }

    public void SampleOnce()
    {
        IReadOnlyList<(string Service, int ProcessId)> current;
        try
        {
            current = [.. processes()];
        }
        catch (InvalidOperationException)
        {
            return; // a process is being replaced or disposed: the next tick sees the new one
        }

        foreach (var (service, pid) in current)
        {
            if (Read(pid) is not { } sample)
            {
                continue; // exited between listing and reading
            }

            lock (seen)
            {
                var before = seen.GetValueOrDefault((service, pid));
                seen[(service, pid)] = (Math.Max(before.PeakRssKb, sample.RssKb), Math.Max(before.CpuTicks, sample.CpuTicks));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }

        stop.Dispose();
    }

    /// <summary>
    /// The processes whose command name (<c>/proc/PID/comm</c>) is one of <paramref name="names"/>: the servers the
    /// benchmark's services use (PostgreSQL's backends, RabbitMQ's Erlang VM), whose CPU is part of what an e-mail costs.
    /// </summary>
    public static IEnumerable<(string Name, int ProcessId)> ProcessesNamed(params string[] names)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string comm;
            try
            {
                comm = File.ReadAllText(Path.Combine(directory, "comm")).TrimEnd('\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // exited while listed
            }

            if (names.Contains(comm, StringComparer.Ordinal))
            {
                yield return (comm, pid);
            }
        }
    }

    private static (long RssKb, long CpuTicks)? Read(int pid)
    {
        try
        {
            var rss = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which is in parentheses and may contain spaces): state is field 3,
            // utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpu = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var rssKb = rss is null ? 0 : long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return (rssKb, cpu);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
