using DevLauncher.Migrations.Model;
using DevLauncher.Migrations.Runner;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DevLauncher.Bench.Peers;

/// <summary>Our worker's runner, in this process, on its own unpooled connection (as the worker process uses it).</summary>
public static class DevLauncherPeer
{
    public static async Task<MigrationRunResult> RunAsync(string connectionString, string? directory, TimeSpan? lockTimeout = null)
    {
        var options = Options.Create(new MigrationOptions { ConnectionString = connectionString, Directory = directory, LockTimeout = lockTimeout ?? TimeSpan.FromMinutes(5) });
        await using var dataSource = WorkerDataSource.Create(connectionString);
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var instrumentation = new MigrationsInstrumentation(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var runner = new MigrationRunner(dataSource, new MigrationScriptSource(options, new EmbeddedMigrations(typeof(DevLauncher.Migrations.Hosting.MigrationWorker).Assembly)), options, instrumentation,
            TimeProvider.System, NullLogger<MigrationRunner>.Instance);
        return await runner.RunAsync(CancellationToken.None);
    }
}
