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
    /// and the copies of previews whose process died before it dropped them, outside the dev-database lock: nothing uses
    /// them, and another AppHost's Reset need not wait for their drop.
    /// </summary>
    /// <returns>How many were dropped.</returns>
    public async Task<int> DropDiscardedAsync(string baseName, CancellationToken cancellationToken)
    {
        IReadOnlyList<DevDatabase> databases;
        await using (var session = await OpenAsync(cancellationToken))
        {
            databases = await session.ListAsync(cancellationToken);
        }

        var discarded = databases.Where(d => d.Metadata is { Kind: DevDatabaseKind.Discarded or DevDatabaseKind.Preview } m && m.Resource == baseName).ToList();
        await using var connection = await OpenMaintenanceAsync(cancellationToken);
        var dropped = 0;
        foreach (var database in discarded)
        {
            // A preview's copy only once its preview has ended: it drops the copy itself, unless its process died.
            if (database.Metadata!.Kind == DevDatabaseKind.Preview && await PreviewGuard.IsHeldAsync(connection, database.Name, cancellationToken))
            {
                continue;
            }

            await DropUnlockedAsync(connection, database.Name, cancellationToken);
            dropped++;
        }

        return dropped;
    }

    /// <summary>An unpooled connection to the maintenance database, without the server's lock.</summary>
    internal async Task<NpgsqlConnection> OpenMaintenanceAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drops a database nothing else uses, without the server's lock: a drop takes as long as a copy.</summary>
    private static async Task DropUnlockedAsync(NpgsqlConnection maintenance, string name, CancellationToken cancellationToken)
    {
        // IF EXISTS: another AppHost on this server may have dropped it meanwhile.
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {PostgresIdentifier.Quote(name)} WITH (FORCE)", maintenance);
        await drop.ExecuteNonQueryAsync(cancellationToken);
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
