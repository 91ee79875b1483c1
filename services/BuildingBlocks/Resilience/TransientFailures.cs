using System.Net.Sockets;
using Npgsql;
using RabbitMQ.Client.Exceptions;

namespace Jtai.Strategy.BuildingBlocks.Resilience;

/// <summary>
/// The one place that tells an infrastructure outage (worth waiting for) from a poison failure (a bug or bad data,
/// which retrying will not cure). Consumers wait out the first without spending a message's retry budget; HTTP
/// answers 503 for database outages; everything else keeps the bounded retry and the <c>_error</c> queue.
/// </summary>
public static class TransientFailures
{
    /// <summary>True when the exception, or any exception it wraps, is a database or broker outage or a timeout.</summary>
    public static bool IsTransient(Exception? exception) => Any(exception, IsTransientItself);

    /// <summary>True when the exception, or any it wraps, says the database is unreachable or went away.</summary>
    public static bool IsDatabaseOutage(Exception? exception) => Any(exception, IsDatabaseOutageItself);

    private static bool IsTransientItself(Exception exception) => exception switch
    {
        _ when IsDatabaseOutageItself(exception) => true,
        SocketException or TimeoutException => true,
        // The broker went away or refused the connection (publishing from a consumer, or the bus reconnecting).
        BrokerUnreachableException or AlreadyClosedException or ConnectFailureException => true,
        MassTransit.RabbitMqConnectionException => true,
        _ => false,
    };

    private static bool IsDatabaseOutageItself(Exception exception) => exception switch
    {
        // Class 08: connection exceptions; 57P01-57P03: admin/crash shutdown, cannot connect now (failover, restart);
        // 25006: a write reached a server that is (or has just become) a read-only standby: a failover under way, since
        // the connection strings ask for the primary (Target Session Attributes=primary) and the next one finds it.
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.ReadOnlySqlTransaction,
        // Npgsql marks network failures and timeouts as transient; a constraint violation is not.
        NpgsqlException npgsql when npgsql.IsTransient => true,
        // A multi-host connection string (Target Session Attributes=primary) during a failover: every host is known to
        // be offline or a standby until its recheck time, so Npgsql tries none and says so with this bare exception
        // (no inner cause, no SQL state, no type of its own: its message is all there is).
        NpgsqlException npgsql => npgsql.GetType() == typeof(NpgsqlException) && npgsql.InnerException is null
            && npgsql.Message.StartsWith("No suitable host was found", StringComparison.Ordinal),
        _ => false,
    };

    // EF's RetryLimitExceededException, DbUpdateException and MassTransit's wrappers carry the cause inside.
    private static bool Any(Exception? exception, Func<Exception, bool> test)
    {
        for (var depth = 0; exception is not null && depth < 16; depth++)
        {
            if (test(exception))
            {
                return true;
            }

            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Any(inner => Any(inner, test)))
            {
                return true;
            }

            exception = exception.InnerException;
        }

        return false;
    }
}
