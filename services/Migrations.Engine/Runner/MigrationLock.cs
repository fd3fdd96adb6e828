using System.Globalization;
using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// The session-level advisory lock every worker takes before it reads the history, held until the last migration is
/// done (non-transactional ones too). Session-level, not transaction-level, because a migration commits several
/// times; EF Core's per-migration table lock is released in between, which is the race this project exists to avoid.
/// </summary>
internal static class MigrationLock
{
    /// <summary>
    /// One wait slice, below PostgreSQL's default deadlock_timeout (1 s). A session blocked in pg_advisory_lock holds a
    /// snapshot, and CREATE INDEX CONCURRENTLY in the holder's session waits for every older snapshot in the database:
    /// holder waits for waiter, waiter waits for holder, and PostgreSQL kills one with 40P01. Ending each wait after a
    /// slice lets go of the snapshot before the deadlock detector looks, so the CONCURRENTLY build goes on.
    /// </summary>
    public static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(200);

    // A bigint advisory key is stored as classid (high 32 bits) and objid (low 32 bits) with objsubid = 1.
    private const string HolderSql = $"""
        SELECT a.pid, a.application_name, host(a.client_addr), a.usename, a.state,
               now() - a.backend_start, now() - a.state_change, left(a.query, 200)
        FROM pg_locks l
        JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND ((l.classid::bigint << 32) | l.objid::bigint) = {MigrationLockKey.Sql}
        LIMIT 1
        """;

    /// <summary>Waits at most <paramref name="timeout"/>; false when another session still holds the lock.</summary>
    public static async Task<bool> TryAcquireAsync(
        NpgsqlConnection connection, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            var slice = TimeSpan.FromTicks(Math.Min(WaitSlice.Ticks, (timeout - timeProvider.GetElapsedTime(started)).Ticks));
            if (await TryAcquireWithinAsync(connection, slice, cancellationToken))
            {
                return true;
            }

            if (timeProvider.GetElapsedTime(started) >= timeout)
            {
                return false;
            }
        }
    }

    /// <returns>False when the server ended the wait after <paramref name="slice"/> (55P03).</returns>
    private static async Task<bool> TryAcquireWithinAsync(NpgsqlConnection connection, TimeSpan slice, CancellationToken cancellationToken)
    {
        // lock_timeout makes the server end the wait: the lock is still handed over the moment the holder releases it or
        // its session ends, with no client-side polling delay. The RESET, so that migrations do not inherit the wait
        // limit meant for the lock, rides in the same round trip: everything a worker does while it holds the lock
        // delays every worker queued behind it.
        var milliseconds = Math.Max(1, (long)Math.Ceiling(slice.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        await using var command = new NpgsqlCommand(
            $"SET lock_timeout = {milliseconds}; SELECT pg_advisory_lock({MigrationLockKey.Sql}); RESET lock_timeout", connection)
        {
            CommandTimeout = 0,
        };
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            // The statements after the failed one did not run, and the SET was rolled back with the implicit
            // transaction of the batch: the session has no lock_timeout left.
            return false;
        }
    }

    public static async Task ReleaseAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey.Sql})", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Who holds the lock now, from pg_locks joined with pg_stat_activity; null when nobody does.</summary>
    public static async Task<LockHolder?> FindHolderAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(HolderSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadHolder(reader) : null;
    }

    private static LockHolder ReadHolder(NpgsqlDataReader reader) => new(
        Pid: reader.GetInt32(0),
        ApplicationName: reader.IsDBNull(1) ? "" : reader.GetString(1),
        ClientAddress: reader.IsDBNull(2) ? "local socket" : reader.GetString(2),
        User: reader.IsDBNull(3) ? "" : reader.GetString(3),
        State: reader.IsDBNull(4) ? "" : reader.GetString(4),
        ConnectedFor: reader.IsDBNull(5) ? TimeSpan.Zero : reader.GetTimeSpan(5),
        InStateFor: reader.IsDBNull(6) ? TimeSpan.Zero : reader.GetTimeSpan(6),
        Query: reader.IsDBNull(7) ? "" : reader.GetString(7));
}

/// <summary>The session that holds the migration lock.</summary>
internal sealed record LockHolder(int Pid, string ApplicationName, string ClientAddress, string User, string State,
    TimeSpan ConnectedFor, TimeSpan InStateFor, string Query)
{
    /// <param name="waited">
    /// How long we waited. PostgreSQL does not record when a lock was granted, so the holding time we can state is a
    /// lower bound: the lock was held for all of our wait.
    /// </param>
    public string Describe(TimeSpan waited) =>
        $"pid {Pid} (application_name '{ApplicationName}', client {ClientAddress}, user '{User}'), " +
        $"which has held it for at least {waited:hh\\:mm\\:ss\\.f} (all of our wait) and has been connected for {ConnectedFor:hh\\:mm\\:ss}; " +
        $"it is '{State}' since {InStateFor:hh\\:mm\\:ss}" + (Query.Length > 0 ? $", last statement: {Query}" : "");
}
