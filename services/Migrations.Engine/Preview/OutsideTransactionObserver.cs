using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// Sees the locks of a statement that cannot run in a transaction block (<c>CREATE INDEX CONCURRENTLY</c>, <c>DROP INDEX
/// CONCURRENTLY</c>, <c>VACUUM FULL</c>), whose locks are gone by the time its own session could read them. A second
/// session holds a REPEATABLE READ snapshot and ACCESS SHARE on every table, taken before the statement starts: a
/// concurrent index build then waits for that snapshot, and a drop or a rewrite for that lock, each holding (or asking
/// for) its own locks meanwhile. The observer reads them from <c>pg_locks</c>, then commits, and the statement goes on.
/// A statement that conflicts with neither finishes without waiting, and its locks are not seen.
/// </summary>
internal sealed class OutsideTransactionObserver : IAsyncDisposable
{
    /// <summary>Short: the statement waits for the observer this long at most before it is seen, and that wait is not its own.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    private readonly NpgsqlConnection _connection;
    private readonly TimeProvider _timeProvider;

    private OutsideTransactionObserver(NpgsqlConnection connection, TimeProvider timeProvider) => (_connection, _timeProvider) = (connection, timeProvider);

    public static async Task<OutsideTransactionObserver> StartAsync(
        NpgsqlDataSource dataSource, CatalogSnapshot catalog, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var observer = new OutsideTransactionObserver(connection, timeProvider);
        var tables = catalog.Relations.Values.Where(r => r.Kind is "r" or "p").Select(r => r.Name).ToList();
        // LOCK takes no snapshot; the SELECT after it does.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { new("BEGIN ISOLATION LEVEL REPEATABLE READ"), new(tables.Count == 0 ? "SELECT 1" : $"LOCK TABLE {string.Join(", ", tables)} IN ACCESS SHARE MODE"), new("SELECT 1") },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return observer;
    }

    /// <summary>Waits until the session <paramref name="pid"/> waits for this one, or <paramref name="statement"/> ends; then lets it go.</summary>
    /// <returns>The session's relation locks while it waited (null if it never did), and how long it waited for the observer after it was seen.</returns>
    public async Task<(IReadOnlyList<LockRow>? Locks, TimeSpan Waited)> WatchAsync(int pid, Task statement, CancellationToken cancellationToken)
    {
        while (!statement.IsCompleted)
        {
            if (await WaitingLocksAsync(pid, cancellationToken) is { } locks)
            {
                var seen = _timeProvider.GetTimestamp();
                await CommitAsync(cancellationToken);
                return (locks, _timeProvider.GetElapsedTime(seen));
            }

            await Task.WhenAny(statement, Task.Delay(PollInterval, _timeProvider, cancellationToken));
        }

        await CommitAsync(cancellationToken);
        return (null, TimeSpan.Zero);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <returns>The session's relation locks when it waits for one it has not been granted; else null.</returns>
    private async Task<IReadOnlyList<LockRow>?> WaitingLocksAsync(int pid, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(_connection) { BatchCommands = { new("SELECT count(*) FROM pg_locks WHERE pid = $1 AND NOT granted") { Parameters = { new() { Value = pid } } }, CatalogSnapshot.LocksOf(pid) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var waiting = reader.GetInt64(0) > 0;
        await reader.NextResultAsync(cancellationToken);
        var locks = await CatalogSnapshot.ReadLocksAsync(reader, cancellationToken);
        return waiting ? locks : null;
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        await using var commit = new NpgsqlCommand("COMMIT", _connection);
        await commit.ExecuteNonQueryAsync(cancellationToken);
    }
}
