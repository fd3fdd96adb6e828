using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DevLauncher.Bench.Peers;

/// <summary>Our worker's runner, in this process, on its own unpooled connection (as the worker process uses it).</summary>
public static class DevLauncherPeer
{
    public static async Task<MigrationRunResult> RunAsync(string connectionString, string? directory, TimeSpan? lockTimeout = null)
    {
        var options = Options.Create(new MigrationOptions { ConnectionString = connectionString, Directory = directory, LockTimeout = lockTimeout ?? TimeSpan.FromMinutes(5) });
        // Composed as the worker composes it (AddMigrationRunner), on its own unpooled data source.
        await using var services = new ServiceCollection()
            .AddMetrics()
            .AddSingleton(options)
            .AddSingleton(_ => WorkerDataSource.Create(connectionString))
            .AddSingleton<ILogger<MigrationRunner>>(NullLogger<MigrationRunner>.Instance)
            .AddMigrationRunner(typeof(Microsoft.Extensions.Hosting.MigrationsExtensions).Assembly)
            .BuildServiceProvider();
        return await services.GetRequiredService<MigrationRunner>().RunAsync(CancellationToken.None);
    }
}
