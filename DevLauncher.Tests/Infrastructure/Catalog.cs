using Npgsql;

namespace DevLauncher.Tests.Infrastructure;

/// <summary>
/// A text snapshot of the schema (tables, columns, indexes, constraints, sequences) of the application schemas, so that
/// "the concurrent run made the same schema as a serial one" is one equality.
/// </summary>
public static class Catalog
{
    private const string Sql = """
        SELECT 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type
               || ' null=' || is_nullable || ' default=' || coalesce(column_default, '') || ' identity=' || is_identity
        FROM information_schema.columns
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'index ' || schemaname || '.' || indexname || ' ' || indexdef || ' valid=' || i.indisvalid
        FROM pg_indexes x JOIN pg_class c ON c.relname = x.indexname JOIN pg_index i ON i.indexrelid = c.oid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = x.schemaname
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'constraint ' || n.nspname || '.' || conname || ' ' || pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'sequence ' || sequence_schema || '.' || sequence_name FROM information_schema.sequences
        ORDER BY 1
        """;

    public static async Task<IReadOnlyList<string>> SnapshotAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    /// <summary>(version, count of rows) in the history table.</summary>
    public static async Task<IReadOnlyList<(long Version, long Rows)>> HistoryAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version, count(*) FROM devlauncher.schema_history GROUP BY version ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return rows;
    }
}
