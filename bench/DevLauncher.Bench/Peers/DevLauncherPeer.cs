using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace DevLauncher.Bench.Peers;

/// <summary>Our worker's runner, in this process, on its own unpooled connection (as the worker process uses it).</summary>
public static class DevLauncherPeer
{
    /// <param name="seeds">A seeds folder, run as the AppHost's template build runs it; null for none.</param>
    public static async Task<MigrationRunResult> RunAsync(string connectionString, string? directory, TimeSpan? lockTimeout = null, string? seeds = null)
    {
        var options = new MigrationOptions
        {
            ConnectionString = connectionString,
            Directory = directory,
            SeedsDirectory = seeds,
            LockTimeout = lockTimeout ?? TimeSpan.FromMinutes(5),
        };
        // Composed as the worker composes it (MigrationEngine.CreateRunner), with its embedded migrations.
        await using var dataSource = WorkerDataSource.Create(connectionString);
        return await MigrationEngine.RunAsync(options, dataSource, new EmbeddedMigrations(DevLauncher.Migrations.WorkerScripts.Assembly),
            NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
    }
}
