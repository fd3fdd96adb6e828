using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.SchemaLoop;

/// <summary>One database on the server, as <see cref="DevServerSession.ListAsync"/> sees it.</summary>
/// <param name="Metadata">Null for a database the schema loop did not make (a legacy <c>appdb</c>, someone else's).</param>
internal sealed record DevDatabase(string Name, DevDatabaseMetadata? Metadata, long SizeBytes);

/// <summary>
/// The server-level statements of the schema loop, on one connection to the maintenance database that holds the
/// dev-database lock (<see cref="DevDatabaseLockKey"/>): AppHosts sharing a server take turns, and nothing here is
/// connected to a database it copies, renames or drops.
/// </summary>
internal sealed class DevServerSession : IAsyncDisposable
{
    /// <summary>The longest another AppHost's database operation may keep us waiting for the dev-database lock.</summary>
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    private readonly NpgsqlConnection _connection;

    private DevServerSession(NpgsqlConnection connection) => _connection = connection;

    internal static async Task<DevServerSession> OpenAsync(string maintenanceConnectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(maintenanceConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var session = new DevServerSession(connection);
            await session.ExecuteAsync(
                $"SET lock_timeout = {(int)LockTimeout.TotalMilliseconds}; SELECT pg_advisory_lock({DevDatabaseLockKey.Sql}); RESET lock_timeout", cancellationToken);
            return session;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<IReadOnlyList<DevDatabase>> ListAsync(CancellationToken cancellationToken) => QueryAsync(null, cancellationToken);

    /// <summary>One database by name (the others are neither read nor sized); null when there is none.</summary>
    public async Task<DevDatabase?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync(name, cancellationToken)).SingleOrDefault();

    private async Task<IReadOnlyList<DevDatabase>> QueryAsync(string? name, CancellationToken cancellationToken)
    {
        // Sized only when it is the loop's: someone else's database may be dropped between the catalog's scan and
        // pg_database_size, which would then fail. A loop database put aside is dropped without the lock too
        // (DevServer.DropDiscardedAsync, as long as a copy): its size is then NULL, and it is left out, as a scan a
        // moment later would leave it out.
        const string sql = """
            SELECT datname, comment, CASE WHEN comment LIKE 'devlauncher:%' THEN pg_database_size(oid) ELSE 0 END
            FROM (SELECT oid, datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database
                  WHERE datname NOT IN ('postgres', 'template0', 'template1') AND ($1::text IS NULL OR datname = $1)) d
            ORDER BY datname
            """;
        await using var command = new NpgsqlCommand(sql, _connection) { Parameters = { new() { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var databases = new List<DevDatabase>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(2))
            {
                continue;
            }

            var comment = reader.IsDBNull(1) ? null : reader.GetString(1);
            databases.Add(new DevDatabase(reader.GetString(0), DevDatabaseMetadata.FromComment(comment), reader.GetInt64(2)));
        }

        return databases;
    }

    /// <summary>A new database, empty or a copy of <paramref name="template"/>, which nobody may be connected to.</summary>
    public async Task CreateAsync(string name, string? template, DevDatabaseMetadata metadata, CancellationToken cancellationToken)
    {
        var copy = template is null ? "" : $" TEMPLATE {PostgresIdentifier.Quote(template)}";
        await ExecuteAsync($"CREATE DATABASE {PostgresIdentifier.Quote(name)}{copy}", cancellationToken);
        await SetMetadataAsync(name, metadata, cancellationToken);
    }

    /// <summary>
    /// A copy of <paramref name="source"/>, which is in use: for the copy's time nobody may connect to it and its
    /// sessions are ended (the services' pools reconnect afterwards); refused while a worker migrates it.
    /// </summary>
    public Task CopyAsync(string source, string copy, DevDatabaseMetadata metadata, CancellationToken cancellationToken) =>
        WithExclusiveAccessAsync(source, async () =>
        {
            await CreateAsync(copy, source, metadata, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Drops the database with whoever is connected to it (PostgreSQL 13+), a template too.</summary>
    public async Task DropAsync(string name, CancellationToken cancellationToken)
    {
        if (await FindAsync(name, cancellationToken) is null)
        {
            return;
        }

        var quoted = PostgresIdentifier.Quote(name);
        await ExecuteAsync($"ALTER DATABASE {quoted} IS_TEMPLATE false", cancellationToken);
        await ExecuteAsync($"DROP DATABASE {quoted} WITH (FORCE)", cancellationToken);
    }

    /// <summary>
    /// Puts the database aside under a new name, for <see cref="DevServer.DropDiscardedAsync"/>: a rename takes
    /// milliseconds, a drop as long as a copy, so nobody waits for the drop. Nobody may be connected to it.
    /// </summary>
    public async Task DiscardAsync(string name, string baseName, CancellationToken cancellationToken)
    {
        if (await FindAsync(name, cancellationToken) is null)
        {
            return;
        }

        var discarded = DevDatabaseNames.Discarded(baseName);
        await RenameAsync(name, discarded, cancellationToken);
        await SetMetadataAsync(discarded, new DevDatabaseMetadata(DevDatabaseKind.Discarded, baseName), cancellationToken);
    }

    public Task RenameAsync(string from, string to, CancellationToken cancellationToken) =>
        ExecuteAsync($"ALTER DATABASE {PostgresIdentifier.Quote(from)} RENAME TO {PostgresIdentifier.Quote(to)}", cancellationToken);

    public Task SetMetadataAsync(string name, DevDatabaseMetadata metadata, CancellationToken cancellationToken) =>
        ExecuteAsync($"COMMENT ON DATABASE {PostgresIdentifier.Quote(name)} IS {QuoteLiteral(metadata.ToComment())}", cancellationToken);

    /// <summary>A template nobody connects to by accident: a template with a session on it cannot be copied.</summary>
    public Task MarkTemplateAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"ALTER DATABASE {PostgresIdentifier.Quote(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> with nobody else on <paramref name="database"/>: new connections are refused and
    /// open ones ended (the services' pools reconnect afterwards). Refuses, changing nothing, while a migration worker
    /// holds the migration lock there.
    /// </summary>
    public async Task<T> WithExclusiveAccessAsync<T>(string database, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await AllowConnectionsAsync(database, false, cancellationToken);
        try
        {
            await RefuseWhileMigratingAsync(database, cancellationToken);
            await EndSessionsAsync(database, cancellationToken);
            return await action();
        }
        finally
        {
            // The action may have replaced the database; the new one takes connections already.
            await AllowConnectionsAsync(database, true, CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task AllowConnectionsAsync(string database, bool allow, CancellationToken cancellationToken)
    {
        if (await FindAsync(database, cancellationToken) is not null)
        {
            await ExecuteAsync($"ALTER DATABASE {PostgresIdentifier.Quote(database)} ALLOW_CONNECTIONS {(allow ? "true" : "false")}", cancellationToken);
        }
    }

    private async Task RefuseWhileMigratingAsync(string database, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT a.pid, coalesce(nullif(a.application_name, ''), a.usename)
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = $1)
              AND ((l.classid::bigint << 32) | l.objid::bigint) = {MigrationLockKey.Sql}
            LIMIT 1
            """;
        await using var command = new NpgsqlCommand(sql, _connection) { Parameters = { new() { Value = database } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            throw new DatabaseBusyException(
                $"A migration worker (pid {reader.GetInt32(0)}, {reader.GetString(1)}) holds the migration lock on {database}: try again when its run is over.");
        }
    }

    private async Task EndSessionsAsync(string database, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", _connection)
        {
            Parameters = { new() { Value = database } },
        };
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, _connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A string literal for a statement that takes no parameters (COMMENT ON), as standard_conforming_strings reads it.</summary>
    private static string QuoteLiteral(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>A database the schema loop must not touch now; the message says why and when to try again.</summary>
public sealed class DatabaseBusyException(string message) : Exception(message);
