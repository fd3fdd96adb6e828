using System.Diagnostics;
using DevLauncher.LocalPostgres;
using Npgsql;

namespace DevLauncher.Tests.Infrastructure;

/// <summary>
/// PostgreSQL's own client, the reference the worker is compared with: psql applies a folder one file at a time, each in
/// a new session (as shell-script runners do), and pg_dump shows what came out.
/// </summary>
public static class Psql
{
    private static readonly string BinDirectory = PostgresBinaries.Find();

    /// <summary>Every <c>.sql</c> file of the folder in name order, one psql process each, stopping at the first error.</summary>
    public static async Task ApplyEachAsync(string connectionString, string folder)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            await RunAsync("psql", connectionString, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file);
        }
    }

    /// <summary>
    /// Schema and data, as pg_dump prints them, without the lines that differ between two dumps of equal databases
    /// (\restrict's random key). The worker's own schema is left out unless <paramref name="includeHistory"/>: its rows
    /// say when and by whom each file was applied, which differs between two databases migrated alike.
    /// </summary>
    public static async Task<string> DumpAsync(string connectionString, bool includeHistory = false)
    {
        var dump = await RunAsync("pg_dump", connectionString, [.. includeHistory ? Array.Empty<string>() : ["--exclude-schema=devlauncher"], "--no-owner"]);
        return string.Join('\n', dump.Split('\n').Where(l => !l.StartsWith("\\restrict", StringComparison.Ordinal)
            && !l.StartsWith("\\unrestrict", StringComparison.Ordinal)));
    }

    private static async Task<string> RunAsync(string program, string connectionString, params string[] arguments)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var startInfo = new ProcessStartInfo(Path.Combine(BinDirectory, program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["PGHOST"] = target.Host, ["PGPORT"] = target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PGUSER"] = target.Username, ["PGPASSWORD"] = target.Password, ["PGDATABASE"] = target.Database,
                ["PGCLIENTENCODING"] = "UTF8", ["LC_MESSAGES"] = "C",
            },
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }
}
