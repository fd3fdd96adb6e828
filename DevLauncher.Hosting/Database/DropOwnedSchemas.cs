using DevLauncher.SchemaLoop;
using Npgsql;

namespace DevLauncher.Hosting.Database;

/// <summary>
/// The database on an existing server, reached as its owner: the AppHost did not create it and may not drop it, and other
/// people's objects may share it. So only the schemas that the configured user owns are dropped (CASCADE), <c>public</c>
/// excepted; the database, the roles (the service role is cluster-wide) and everything in <c>public</c> stay. The
/// migration lock is held meanwhile, and the reset refuses when a worker (of any host) holds it.
/// </summary>
internal sealed class DropOwnedSchemas(IResourceWithConnectionString database, string databaseName)
{
    public const string LockHeld = "A migration worker holds the migration lock on this database: reset it when that run is over.";

    private const string DropSql = """
        DO $$
        DECLARE s name;
        BEGIN
            FOR s IN SELECT nspname FROM pg_namespace
                     WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                       AND nspname <> 'public' AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%'
            LOOP
                EXECUTE format('DROP SCHEMA %I CASCADE', s);
            END LOOP;
        END
        $$
        """;

    public string Confirmation =>
        $"Drop every schema that the configured user owns in the database {databaseName} (public excepted), with " +
        "their tables and rows, then migrate it again and restart the services? The database and other owners' objects stay.";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var connectionString = await database.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using var connection = await OpenAsync(connectionString!, cancellationToken);
        await using var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({MigrationLockKey.Sql})", connection);
        if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
        {
            throw new InvalidOperationException(LockHeld);
        }

        // Sessions of other hosts may use these tables: fail rather than wait behind them for ever.
        await ExecuteAsync(connection, "SET lock_timeout = '10s'", cancellationToken);
        await ExecuteAsync(connection, DropSql, cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey.Sql})", cancellationToken);
        return $"The schemas owned by the database's owner in {databaseName} dropped";
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        // No pool: a pooled connection would keep a session on the database after the reset.
        var connection = new NpgsqlConnection(AppHostConnection.For(connectionString));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
