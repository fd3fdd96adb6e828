using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.SchemaLoop;

/// <summary>
/// A PostgreSQL server whose databases the schema loop may create, copy, rename and drop: one the AppHost runs, reached
/// as its superuser.
/// </summary>
/// <param name="serverConnectionString">The superuser's connection string; its database, if any, is ignored.</param>
public sealed class DevServer(string serverConnectionString)
{
    /// <summary>The superuser's connection string for <paramref name="database"/>, as <see cref="AppHostConnection"/> makes it.</summary>
    public string ConnectionStringFor(string database) => AppHostConnection.For(serverConnectionString, database);

    /// <summary>A session on the maintenance database that holds the dev-database lock until disposed.</summary>
    internal Task<DevServerSession> OpenAsync(CancellationToken cancellationToken) =>
        DevServerSession.OpenAsync(ConnectionStringFor("postgres"), cancellationToken);

    /// <summary>
    /// Drops the databases of <paramref name="baseName"/> that the loop discarded (<see cref="DevServerSession.DiscardAsync"/>),
    /// outside the dev-database lock: nothing uses them, and another AppHost's Reset need not wait for their drop.
    /// </summary>
    /// <returns>How many were dropped.</returns>
    public async Task<int> DropDiscardedAsync(string baseName, CancellationToken cancellationToken)
    {
        IReadOnlyList<DevDatabase> databases;
        await using (var session = await OpenAsync(cancellationToken))
        {
            databases = await session.ListAsync(cancellationToken);
        }

        var discarded = databases.Where(d => d.Metadata is { Kind: DevDatabaseKind.Discarded } m && m.Resource == baseName).ToList();
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(cancellationToken);
        foreach (var database in discarded)
        {
            // IF EXISTS: another AppHost on this server may have dropped it meanwhile.
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {PostgresIdentifier.Quote(database.Name)} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return discarded.Count;
    }

    /// <summary>The rows of a database's history table (version, file, checksum) in order; empty without one.</summary>
    public async Task<IReadOnlyList<VersionedFile>> ReadHistoryAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor(database));
        await connection.OpenAsync(cancellationToken);
        var rows = await SchemaHistory.ReadAsync(connection, cancellationToken);
        return [.. rows.Select(row => new VersionedFile(row.Version, row.ScriptName, row.Checksum))];
    }
}
