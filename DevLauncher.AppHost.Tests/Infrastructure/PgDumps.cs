using System.Diagnostics;
using System.Globalization;
using DevLauncher.LocalPostgres;
using Npgsql;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// What a database holds, as the machine's pg_dump (<see cref="PostgresBinaries.Find"/>) prints it, schema and rows,
/// for comparing two databases. The lines that differ between two dumps of one database (<c>\restrict</c>'s random
/// key) are left out.
/// </summary>
public static class PgDumps
{
    /// <summary>Every schema and row, the worker's history rows included.</summary>
    public static Task<string> EverythingAsync(string connectionString, CancellationToken cancellationToken) =>
        DumpAsync(connectionString, [], cancellationToken);

    /// <summary>Every schema and row, less the <paramref name="tables"/> and the rows of <paramref name="rowsOf"/> (each <c>schema.table</c>).</summary>
    public static Task<string> EverythingExceptAsync(string connectionString, string[] tables, string[] rowsOf, CancellationToken cancellationToken) =>
        DumpAsync(connectionString, [.. tables.Select(t => $"--exclude-table={t}"), .. rowsOf.Select(t => $"--exclude-table-data={t}")], cancellationToken);

    /// <summary>
    /// Schema and rows, with the worker's tables (schema <c>devlauncher</c>) dumped without their rows, which say when
    /// and by whom each file ran and so differ between two databases migrated alike; after the dump, what those rows
    /// must agree on: each migration's version, file and checksum, and each seed's file and checksum.
    /// </summary>
    public static async Task<string> ComparableAsync(string connectionString, CancellationToken cancellationToken)
    {
        var dump = await DumpAsync(connectionString, ["--exclude-table-data=devlauncher.*"], cancellationToken);
        return string.Join('\n', dump, "-- migrations applied", await HistoryAsync(connectionString, cancellationToken),
            "-- seeds applied", await SeedsAsync(connectionString, cancellationToken));
    }

    /// <summary>One line per history row: version, file and checksum, in version order.</summary>
    public static Task<string> HistoryAsync(string connectionString, CancellationToken cancellationToken) =>
        Sql.ScalarAsync<string>(connectionString,
            "SELECT coalesce(string_agg(version || ' ' || script_name || ' ' || checksum, E'\\n' ORDER BY version), '') FROM devlauncher.schema_history",
            cancellationToken);

    private static Task<string> SeedsAsync(string connectionString, CancellationToken cancellationToken) =>
        Sql.ScalarAsync<string>(connectionString,
            "SELECT coalesce(string_agg(file || ' ' || checksum, E'\\n' ORDER BY file), '') FROM devlauncher.seed_history",
            cancellationToken);

    private static async Task<string> DumpAsync(string connectionString, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(new NpgsqlConnectionStringBuilder(connectionString), arguments))
            ?? throw new InvalidOperationException("pg_dump did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}");
        }

        return string.Join('\n', (await output).Split('\n').Where(l => !l.StartsWith("\\restrict", StringComparison.Ordinal)
            && !l.StartsWith("\\unrestrict", StringComparison.Ordinal)));
    }

    private static ProcessStartInfo StartInfo(NpgsqlConnectionStringBuilder target, string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Path.Combine(PostgresBinaries.Find(), "pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["PGHOST"] = target.Host, ["PGPORT"] = target.Port.ToString(CultureInfo.InvariantCulture),
                ["PGUSER"] = target.Username, ["PGPASSWORD"] = target.Password, ["PGDATABASE"] = target.Database,
                ["PGCLIENTENCODING"] = "UTF8", ["LC_MESSAGES"] = "C",
            },
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }
}
