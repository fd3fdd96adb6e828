using DevLauncher.SchemaLoop;
using Npgsql;

namespace DevLauncher.Hosting.Migrations;

/// <param name="Version">The highest applied version, formatted; <see cref="SchemaVersion.None"/> for an empty or missing history.</param>
/// <param name="Total">How many migrations the history records.</param>
internal sealed record SchemaHistoryState(string Version, long Total);

/// <summary>What the history table says, read with the owner's connection through the history's one reader.</summary>
internal static class SchemaHistoryReader
{
    public static async Task<SchemaHistoryState> ReadAsync(string ownerConnectionString, CancellationToken cancellationToken)
    {
        // No pool: a reset drops the database, and a pooled connection would hold it up (or break afterwards).
        await using var connection = new NpgsqlConnection(AppHostConnection.For(ownerConnectionString));
        await connection.OpenAsync(cancellationToken);
        var summary = await SchemaHistory.ReadSummaryAsync(connection, cancellationToken);
        return new SchemaHistoryState(summary.VersionText, summary.Count);
    }
}
