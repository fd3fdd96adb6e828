using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// <c>devlauncher.seed_history</c>: one row per seed file, written in the seeds' one transaction. The worker creates it
/// in the batch that creates the schema history, so only a database a worker created since seeds exist has it: an
/// older database is never seeded.
/// </summary>
internal static class SeedHistory
{
    public const string Table = "devlauncher.seed_history";

    public const string CreateSql = $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            file       text        PRIMARY KEY,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    public static async Task<bool> IsEmptyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT NOT EXISTS (SELECT 1 FROM {Table})", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Records the seed after putting the session back as a new connection has it, as a migration's row is.</summary>
    public static async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SeedScript seed, DateTimeOffset appliedAt, CancellationToken cancellationToken)
    {
        await using var batch = SessionDefaults.ThenRecord(connection, transaction,
            new NpgsqlBatchCommand($"INSERT INTO {Table} (file, checksum, applied_at) VALUES ($1, $2, $3)")
            {
                Parameters = { new() { Value = seed.FileName }, new() { Value = seed.Checksum }, new() { Value = appliedAt } },
            });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
