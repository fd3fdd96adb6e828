using DevLauncher.Hosting.Migrations;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The AppHost's model in each PostgreSQL mode, built once for a class of tests that only read it (a class fixture):
/// nothing is started.
/// </summary>
public sealed class ModeModels : IAsyncLifetime
{
    /// <summary>The owner's connection string of the existing server the existing-mode model names.</summary>
    public const string ExistingConnectionString = "Host=db.internal;Port=5433;Database=devlauncher;Username=owner;Password=owner-secret";

    private readonly Dictionary<PostgresMode, TestAppHost> _hosts = [];

    internal TestAppHost this[PostgresMode mode] => _hosts[mode];

    /// <summary>The worker's runs as the Undo command's state reads them.</summary>
    internal static MigrationRuns Runs(TestAppHost host) =>
        host.Resource(DevLauncher.Contracts.ResourceNames.Migrations).Annotations.OfType<DevLauncher.Hosting.Database.MigrationWorkerAnnotation>().Single().Runs;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        try
        {
            _hosts[PostgresMode.Container] = await TestAppHost.CreateAsync(PostgresMode.Container, cancellationToken, keepPersistence: true);
            _hosts[PostgresMode.Local] = await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken);
            _hosts[PostgresMode.Existing] = await TestAppHost.CreateAsync(PostgresMode.Existing, cancellationToken,
                extra: [$"--ConnectionStrings:appdb={ExistingConnectionString}"]);
        }
        catch
        {
            // A fixture that fails to initialize is not disposed by xunit.
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await host.DisposeAsync();
        }
    }
}
