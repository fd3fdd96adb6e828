using DevLauncher.Hosting.Postgres;
using DevLauncher.LocalPostgres;
using Npgsql;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The local server's data folder kept from one app start to the next, as a developer's <c>.devlauncher/postgres</c>
/// is: handed to each <see cref="TestAppHost"/> after its own folder (the last value of a key wins), deleted at the end.
/// </summary>
public sealed class KeptDataFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"devlauncher-kept-postgres-{Guid.NewGuid():N}");

    public string Argument => $"--{PostgresSettings.DataDirectoryKey}={Path}";

    /// <summary>
    /// A database of the running server, as its superuser, straight to the server's own port (the one its
    /// postmaster.pid names), not through the orchestrator's proxy: for an app the test did not start in process.
    /// </summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = int.Parse(File.ReadLines(System.IO.Path.Combine(Path, "data", "postmaster.pid")).ElementAt(3), System.Globalization.CultureInfo.InvariantCulture),
        Username = PostgresCluster.SuperUser,
        Password = new PostgresCluster(Path).EnsureSuperUserPassword(),
        Database = database,
    }.ConnectionString;

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
