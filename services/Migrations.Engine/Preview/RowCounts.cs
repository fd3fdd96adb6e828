using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>The rows of rewritten tables, and the values of dropped columns and tables, counted on the copy.</summary>
internal static class RowCounts
{
    public static async Task<IReadOnlyList<TableRewrite>> RewritesAsync(NpgsqlConnection connection, CatalogChanges changes, CancellationToken cancellationToken)
    {
        var rewrites = new List<TableRewrite>();
        foreach (var table in changes.Rewritten)
        {
            rewrites.Add(new TableRewrite(table.Name, (await CountAsync(connection, table.Name, ["*"], cancellationToken))[0]));
        }

        return rewrites;
    }

    /// <summary>Counted while they are still there: the caller has taken the statement back (ROLLBACK TO SAVEPOINT).</summary>
    public static async Task<IReadOnlyList<DroppedData>> DroppedAsync(NpgsqlConnection connection, CatalogChanges changes, CancellationToken cancellationToken)
    {
        var dropped = new List<DroppedData>();
        foreach (var table in changes.DroppedTables)
        {
            dropped.Add(new DroppedData(table.Name, null, (await CountAsync(connection, table.Name, ["*"], cancellationToken))[0]));
        }

        foreach (var columns in changes.DroppedColumns.GroupBy(c => c.Table))
        {
            var table = changes.NameOf(columns.Key);
            var counts = await CountAsync(connection, table, [.. columns.Select(c => PostgresIdentifier.Quote(c.Name))], cancellationToken);
            dropped.AddRange(columns.Zip(counts, (column, count) => new DroppedData(table, column.Name, count)));
        }

        return dropped;
    }

    /// <summary>What a statement outside a transaction dropped: it cannot be taken back, so its values are not counted.</summary>
    public static IReadOnlyList<DroppedData> Uncounted(CatalogChanges changes) =>
    [
        .. changes.DroppedTables.Select(t => new DroppedData(t.Name, null, null)),
        .. changes.DroppedColumns.Select(c => new DroppedData(changes.NameOf(c.Table), c.Name, null)),
    ];

    /// <param name="expressions">What to count: <c>*</c> for rows, a quoted column for its non-null values.</param>
    private static async Task<long[]> CountAsync(NpgsqlConnection connection, string table, IReadOnlyList<string> expressions, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {string.Join(", ", expressions.Select(e => $"count({e})"))} FROM ONLY {table}", connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return [.. Enumerable.Range(0, expressions.Count).Select(reader.GetInt64)];
    }
}
