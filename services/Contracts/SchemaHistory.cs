using Npgsql;

namespace DevLauncher.Contracts;

/// <summary>A row of <see cref="SchemaHistory.Table"/>: one applied migration.</summary>
public sealed record AppliedMigration(long Version, string Description, string ScriptName, string Checksum, DateTimeOffset AppliedAt, string AppliedBy, int ExecutionMs);

/// <summary>The history's highest applied version (null when it has none, or no table) and how many rows it has.</summary>
public sealed record SchemaHistorySummary(long? Version, long Count)
{
    /// <summary>The version as every message writes it (<see cref="SchemaVersion.Format(long?)"/>).</summary>
    public string VersionText => SchemaVersion.Format(Version);
}

/// <summary>
/// The table where the worker records each applied migration, and its one reader: the engine, the schema loop, the
/// AppHost and the schema gate read it here. Only the worker writes it (the engine's MigrationHistory).
/// </summary>
public static class SchemaHistory
{
    /// <summary>The schema the table lives in, with the worker's other bookkeeping.</summary>
    public const string Schema = "devlauncher";

    /// <summary>The table's qualified name.</summary>
    public const string Table = Schema + ".schema_history";

    private const string SelectSql =
        $"SELECT version, description, script_name, checksum, applied_at, applied_by, execution_ms FROM {Table} ORDER BY version";

    /// <summary>
    /// The applied migrations in version order, read without creating anything: empty when the table does not exist
    /// (a database no worker has migrated yet). Takes no lock: a worker that is running may add rows right after.
    /// </summary>
    /// <param name="connection">An open connection to the database, as a role that may read the history.</param>
    public static async Task<IReadOnlyList<AppliedMigration>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var exists = new NpgsqlCommand($"SELECT to_regclass('{Table}') IS NOT NULL", connection);
        return await exists.ExecuteScalarAsync(cancellationToken) is true ? await ReadKnownAsync(connection, null, cancellationToken) : [];
    }

    /// <summary>
    /// The applied migrations in version order, for a caller that knows the table exists, or creates it with
    /// <paramref name="createSql"/> in the same round trip (the worker, under its lock).
    /// </summary>
    public static async Task<IReadOnlyList<AppliedMigration>> ReadKnownAsync(NpgsqlConnection connection, string? createSql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(createSql is null ? SelectSql : $"{createSql}{Environment.NewLine}{SelectSql}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AppliedMigration(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetInt32(6)));
        }

        return rows;
    }

    /// <summary>
    /// The highest applied version and the row count, in one round trip: a database without the table (or its schema)
    /// has none. Outside a transaction: the missing table is a failed statement, which would abort one.
    /// </summary>
    public static async Task<SchemaHistorySummary> ReadSummaryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand($"SELECT max(version), count(*) FROM {Table}", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new SchemaHistorySummary(reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetInt64(1));
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return new SchemaHistorySummary(null, 0);
        }
    }
}
