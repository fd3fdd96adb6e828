using System.Globalization;
using DevLauncher.LocalPostgres;
using Npgsql;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// A local server's cluster as its files tell it (the folder LocalCluster holds: <c>data/</c> and
/// <c>superuser.password</c>), for a test that must reach the server of an AppHost running in another process, or tell
/// whether its server is still the same process.
/// </summary>
public sealed class ClusterFiles(string directory)
{
    public string Directory { get; } = directory;

    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The running server's pid, from the first line of <c>postmaster.pid</c>; null when no server has it.</summary>
    public int? ServerPid => PidFileLine(0) is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null;

    /// <summary>The superuser's connection to one of the server's databases, on the port in <c>postmaster.pid</c> (line 4).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = int.Parse(PidFileLine(3) ?? throw new InvalidOperationException($"No server runs on {DataDirectory}."), CultureInfo.InvariantCulture),
        Username = PostgresCluster.SuperUser,
        Password = File.ReadAllText(Path.Combine(Directory, "superuser.password")).Trim(),
        Database = database,
        Pooling = false,
    }.ConnectionString;

    private string? PidFileLine(int index)
    {
        var path = Path.Combine(DataDirectory, "postmaster.pid");
        return File.Exists(path) ? File.ReadAllLines(path).ElementAtOrDefault(index)?.Trim() : null;
    }
}
