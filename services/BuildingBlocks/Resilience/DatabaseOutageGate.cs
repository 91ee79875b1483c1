using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jtai.Strategy.BuildingBlocks.Resilience;

/// <summary>
/// Pauses every consumer of the service while its database is unreachable. The first consumer that meets the outage
/// closes the gate; the others then wait at it instead of each trying the database every retry interval, and one probe
/// (a connection and <c>SELECT 1</c>, at once and then every <c>Messaging:TransientRetryInterval</c>) opens it when the
/// database answers. A consumer that failed on a passing timeout therefore pauses the others only for one probe.
/// Waiting messages stay unacknowledged in their consumer (at most the prefetch): nothing reaches <c>_error</c>, and
/// if the process dies the broker hands them out again.
/// </summary>
public sealed partial class DatabaseOutageGate : IDisposable
{
    private static int closedGates;

    private readonly IServiceProvider services;
    // Real time, not the service's clock: tests move that one by hand, and an outage is waited out in real time.
    private readonly TimeProvider clock = TimeProvider.System;
    private readonly TimeSpan probeInterval;
    private readonly ILogger<DatabaseOutageGate> logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock sync = new();
    private TaskCompletionSource? closed;

    static DatabaseOutageGate() =>
        JtaiTelemetry.Meter.CreateObservableGauge("jtai.consumers.paused", () => Volatile.Read(ref closedGates),
            description: "1 while the service's consumers wait for its database to come back");

    public DatabaseOutageGate(IServiceProvider services, IConfiguration configuration, ILogger<DatabaseOutageGate> logger)
    {
        this.services = services;
        this.logger = logger;
        probeInterval = configuration.GetSection("Messaging").Get<OutageOptions>()?.TransientRetryInterval ?? new OutageOptions().TransientRetryInterval;
    }

    /// <summary>True while consumers wait for the database.</summary>
    public bool IsClosed
    {
        get
        {
            lock (sync)
            {
                return closed is not null;
            }
        }
    }

    /// <summary>Completes at once when the gate is open; otherwise when the database answers again.</summary>
    public Task WaitUntilOpenAsync(CancellationToken cancellationToken)
    {
        Task? wait;
        lock (sync)
        {
            wait = closed?.Task;
        }

        return wait is null ? Task.CompletedTask : wait.WaitAsync(cancellationToken);
    }

    /// <summary>A consumer met a database outage: close the gate (once) and start probing.</summary>
    public void Close(Exception outage)
    {
        lock (sync)
        {
            if (closed is not null || stopping.IsCancellationRequested)
            {
                return;
            }

            closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Interlocked.Increment(ref closedGates);
        LogPaused(logger, outage.GetType().Name, outage);
        _ = ProbeUntilTheDatabaseAnswersAsync(clock.GetTimestamp());
    }

    private async Task ProbeUntilTheDatabaseAnswersAsync(long since)
    {
        var dataSource = services.GetService<NpgsqlDataSource>();
        try
        {
            while (dataSource is not null && !await AnswersAsync(dataSource))
            {
                await Task.Delay(probeInterval, clock, stopping.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The service stops: open the gate so waiting consumers run into the bus's own cancellation.
        }

        TaskCompletionSource? gate;
        lock (sync)
        {
            gate = closed;
            closed = null;
        }

        Interlocked.Decrement(ref closedGates);
        LogResumed(logger, clock.GetElapsedTime(since).TotalSeconds);
        gate?.TrySetResult();
    }

    private async Task<bool> AnswersAsync(NpgsqlDataSource dataSource)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(stopping.Token);
            return true;
        }
        catch (Exception ex) when (TransientFailures.IsDatabaseOutage(ex))
        {
            return false;
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumers paused: the database is unreachable ({Failure}); they resume when it answers")]
    private static partial void LogPaused(ILogger logger, string failure, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumers resumed: the database answered after {Seconds:F1} s")]
    private static partial void LogResumed(ILogger logger, double seconds);
}

/// <summary>Every consumer passes the gate before it runs, and closes it when it meets a database outage.</summary>
public sealed class DatabaseOutageGateFilter(DatabaseOutageGate gate) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        await gate.WaitUntilOpenAsync(context.CancellationToken);
        try
        {
            await next.Send(context);
        }
        catch (Exception ex) when (TransientFailures.IsDatabaseOutage(ex))
        {
            gate.Close(ex);
            throw;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("databaseOutageGate");
}
