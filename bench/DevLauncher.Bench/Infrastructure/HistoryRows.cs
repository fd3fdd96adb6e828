using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>How many migrations a database's history holds: whether a reset, an apply or an undo left it where it should.</summary>
public static class HistoryRows
{
    /// <summary>
    /// Rows of <see cref="SchemaHistory.Table"/>, the worker's history (and the EF Core peer's, which keeps its own there).
    /// Unpooled: a pooled session would keep the schema loop from replacing the database.
    /// </summary>
    public static async Task<long> CountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {SchemaHistory.Table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExpectAsync(string connectionString, long rows, string after)
    {
        var actual = await CountAsync(connectionString);
        if (actual != rows)
        {
            throw new InvalidOperationException($"After {after} the history holds {actual} migrations, not {rows}.");
        }
    }
}
