using DevLauncher.Contracts;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>How many migrations a database's history holds: whether a reset, an apply or an undo left it where it should.</summary>
public static class HistoryRows
{
    /// <summary>
    /// Rows of <see cref="SchemaHistory.Table"/>, the worker's history (and the EF Core peer's, which keeps its own there).
    /// Unpooled: a pooled session would keep the schema loop from replacing the database.
    /// </summary>
    public static Task<long> CountAsync(string connectionString) => Sql.ScalarAsync<long>(connectionString, $"SELECT count(*) FROM {SchemaHistory.Table}");

    public static async Task ExpectAsync(string connectionString, long rows, string after)
    {
        var actual = await CountAsync(connectionString);
        if (actual != rows)
        {
            throw new InvalidOperationException($"After {after} the history holds {actual} migrations, not {rows}.");
        }
    }
}
