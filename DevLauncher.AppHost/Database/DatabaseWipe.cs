using Aspire.Hosting.Postgres;
using DevLauncher.AppHost.Postgres;
using DevLauncher.Contracts;
using DevLauncher.LocalPostgres;
using Npgsql;

namespace DevLauncher.AppHost.Database;

/// <summary>
/// How "Reset database" empties <c>appdb</c>, by who owns what. A server the AppHost runs (the container, the local
/// server) is ours, and so is the database on it: drop it, with whoever is connected, and create it again. On an
/// existing server the database is someone else's and only its contents are ours (<see cref="DropOwnedSchemas"/>).
/// </summary>
public abstract class DatabaseWipe
{
    /// <summary>What the confirmation asks before anything is dropped.</summary>
    public abstract string Confirmation { get; }

    /// <returns>What was done, for the command's result.</returns>
    public abstract Task<string> RunAsync(CancellationToken cancellationToken);

    public static DatabaseWipe For(IResourceWithConnectionString database) => database switch
    {
        PostgresDatabaseResource { Parent: var server } container => new RecreateDatabase(server, container.DatabaseName),
        AppDatabaseResource { Parent: ExistingPostgresServerResource } existing => new DropOwnedSchemas(existing),
        AppDatabaseResource { Parent: var server } local => new RecreateDatabase(server, local.DatabaseName),
        _ => throw new ArgumentException($"'{database.Name}' is not a PostgreSQL database this AppHost knows how to reset.", nameof(database)),
    };

    protected static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        // No pool: a pooled connection would keep a session on the database after the reset.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "devlauncher-apphost" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    protected static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>The database on a server the AppHost runs: dropped with its sessions (PostgreSQL 13+) and created again, empty.</summary>
public sealed class RecreateDatabase(IResourceWithConnectionString server, string databaseName) : DatabaseWipe
{
    public override string Confirmation =>
        $"Drop the database {databaseName}, with every table and row in it, create it again empty, migrate it and restart the services?";

    public override async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var serverConnectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using var connection = await OpenAsync($"{serverConnectionString};Database=postgres", cancellationToken);
        await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {PostgresIdentifier.Quote(databaseName)} WITH (FORCE)", cancellationToken);
        await ExecuteAsync(connection, $"CREATE DATABASE {PostgresIdentifier.Quote(databaseName)}", cancellationToken);
        return $"Database {databaseName} dropped and created again";
    }
}

/// <summary>
/// The database on an existing server, reached as its owner: the AppHost did not create it and may not drop it, and other
/// people's objects may share it. So only the schemas that the configured user owns are dropped (CASCADE), <c>public</c>
/// excepted; the database, the roles (the service role is cluster-wide) and everything in <c>public</c> stay. The
/// migration lock is held meanwhile, and the reset refuses when a worker (of any host) holds it.
/// </summary>
public sealed class DropOwnedSchemas(AppDatabaseResource database) : DatabaseWipe
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

    public override string Confirmation =>
        $"Drop every schema that the configured user owns in the database {database.DatabaseName} (public excepted), with " +
        "their tables and rows, then migrate it again and restart the services? The database and other owners' objects stay.";

    public override async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var connectionString = await ((IResourceWithConnectionString)database).ConnectionStringExpression.GetValueAsync(cancellationToken);
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
        return $"The schemas owned by the database's owner in {database.DatabaseName} dropped";
    }
}
