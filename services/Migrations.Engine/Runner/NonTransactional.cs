using System.Text.RegularExpressions;
using DevLauncher.Contracts;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// A <c>CREATE INDEX CONCURRENTLY</c> that fails or is interrupted leaves an INVALID index behind: it slows writes and
/// makes the same migration fail with "already exists" on the next run. We report it, and before running a
/// non-transactional migration we drop the invalid indexes that migration itself names, so a rerun repairs it.
/// Invalid indexes the file does not name are left alone: they are not ours to drop.
/// </summary>
internal static partial class NonTransactional
{
    private const string InvalidIndexesSql = """
        SELECT n.nspname, c.relname
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2
        """;

    public static async Task RepairLeftoversAsync(NpgsqlConnection connection, MigrationScript script, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var (schema, name) in await InvalidIndexesAsync(connection, cancellationToken))
        {
            if (!NamesIndex(script.Sql, name))
            {
                continue;
            }

            logger.LogWarning(
                "Index {Schema}.{Index} is INVALID, left by an interrupted run of {Script}; dropping it so the migration builds it again",
                schema, name, script.FileName);
            await using var drop = new NpgsqlCommand(
                $"DROP INDEX CONCURRENTLY IF EXISTS {PostgresIdentifier.Quote(schema)}.{PostgresIdentifier.Quote(name)}", connection)
            {
                CommandTimeout = 0,
            };
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async Task<string> DescribeInvalidIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var invalid = await InvalidIndexesAsync(connection, cancellationToken);
        return invalid.Count == 0
            ? ""
            : $" It left these indexes INVALID: {string.Join(", ", invalid.Select(i => $"{i.Schema}.{i.Name}"))}. " +
              "The next run of this migration drops and rebuilds the ones it names.";
    }

    private static async Task<List<(string Schema, string Name)>> InvalidIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InvalidIndexesSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add((reader.GetString(0), reader.GetString(1)));
        }

        return result;
    }

    private static bool NamesIndex(string sql, string indexName) =>
        Regex.IsMatch(sql, $@"(?<![A-Za-z0-9_$]){Regex.Escape(indexName)}(?![A-Za-z0-9_$])", RegexOptions.IgnoreCase);
}
