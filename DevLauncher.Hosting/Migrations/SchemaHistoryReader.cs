using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.Hosting.Migrations;

/// <param name="Version">The highest applied version, formatted; <see cref="SchemaVersion.None"/> for an empty or missing history.</param>
/// <param name="Total">How many migrations the history records.</param>
internal sealed record SchemaHistoryState(string Version, long Total);

/// <summary>What the history table says, read with the owner's connection, as the worker reads it.</summary>
internal static class SchemaHistoryReader
{
    public static async Task<SchemaHistoryState> ReadAsync(string ownerConnectionString, CancellationToken cancellationToken)
    {
        // No pool: a reset drops the database, and a pooled connection would hold it up (or break afterwards).
        var builder = new NpgsqlConnectionStringBuilder(ownerConnectionString) { Pooling = false, ApplicationName = "devlauncher-apphost" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand($"SELECT to_regclass('{SchemaHistory.Table}') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return new SchemaHistoryState(SchemaVersion.None, 0);
        }

        await using var summary = new NpgsqlCommand($"SELECT max(version), count(*) FROM {SchemaHistory.Table}", connection);
        await using var reader = await summary.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SchemaHistoryState(SchemaVersion.Format(reader.IsDBNull(0) ? null : reader.GetInt64(0)), reader.GetInt64(1));
    }
}
