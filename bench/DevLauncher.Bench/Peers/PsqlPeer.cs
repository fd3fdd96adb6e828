using System.Globalization;
using DevLauncher.LocalPostgres;
using Npgsql;

namespace DevLauncher.Bench.Peers;

/// <summary>
/// PostgreSQL's own client applying the same files: the floor for the worker. One process per file is how shell-script
/// runners apply a folder; one process with a -f per file is one session for all of them.
/// </summary>
public static class PsqlPeer
{
    private static readonly string Psql = Path.Combine(PostgresBinaries.Find(), "psql");

    public static async Task RunEachAsync(string connectionString, IReadOnlyList<string> files)
    {
        foreach (var file in files)
        {
            await RunAsync(connectionString, ["-f", file]);
        }
    }

    public static Task RunSessionAsync(string connectionString, IReadOnlyList<string> files) =>
        RunAsync(connectionString, files.SelectMany(f => new[] { "-f", f }));

    private static async Task RunAsync(string connectionString, IEnumerable<string> fileArguments)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var result = await CommandRun.RunAsync(Psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", .. fileArguments], "", new Dictionary<string, string>
        {
            ["PGHOST"] = target.Host!,
            ["PGPORT"] = target.Port.ToString(CultureInfo.InvariantCulture),
            ["PGUSER"] = target.Username!,
            ["PGPASSWORD"] = target.Password!,
            ["PGDATABASE"] = target.Database!,
        }, TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed during the benchmark: {result.StandardError}");
        }
    }
}
