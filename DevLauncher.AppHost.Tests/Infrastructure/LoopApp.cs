namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// What most schema-loop tests begin with: the app started in the machine's mode, once the worker's first run is on
/// the dashboard, and appdb's owner connection; on the worker's own files or on a copy the test may edit.
/// </summary>
internal sealed class LoopApp : IAsyncDisposable
{
    private LoopApp(TestAppHost host, ScratchMigrations? migrations, string owner) => (Host, _migrations, Owner) = (host, migrations, owner);

    private readonly ScratchMigrations? _migrations;

    public TestAppHost Host { get; }

    public DistributedApplication App => Host.App!;

    /// <summary>appdb's connection string as its owner, the worker's.</summary>
    public string Owner { get; }

    /// <summary>The copy of the worker's files the app runs (<see cref="StartOnScratchAsync"/> only).</summary>
    public ScratchMigrations Migrations => _migrations ?? throw new InvalidOperationException("The app runs the worker's own files.");

    /// <summary>On the worker's own files (services/Migrations/Scripts).</summary>
    public static Task<LoopApp> StartAsync(CancellationToken cancellationToken) => StartAsync(null, cancellationToken);

    /// <summary>On a copy of the worker's files, handed over as <c>DevLauncher:MigrationsDirectory</c>.</summary>
    public static Task<LoopApp> StartOnScratchAsync(CancellationToken cancellationToken) => StartAsync(ScratchMigrations.CopyOfScripts(), cancellationToken);

    /// <summary>
    /// On a copy of the worker's files, without auth, backend and frontend: for what the worker and appdb do alone
    /// (Apply, Undo, a busy worker, a broken template).
    /// </summary>
    public static Task<LoopApp> StartOnScratchWithoutServicesAsync(CancellationToken cancellationToken) =>
        StartAsync(ScratchMigrations.CopyOfScripts(), cancellationToken, services: false);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _migrations?.Dispose();
    }

    private static async Task<LoopApp> StartAsync(ScratchMigrations? migrations, CancellationToken cancellationToken, bool services = true)
    {
        TestAppHost? host = null;
        try
        {
            string[] extra = migrations is null ? [] : [migrations.Argument];
            host = await (services
                ? LoopApps.StartAsync(TestAppHost.StartMode, cancellationToken, extra)
                : LoopApps.StartWithoutServicesAsync(TestAppHost.StartMode, cancellationToken, extra));
            return new LoopApp(host, migrations, await LoopApps.OwnerAsync(host.App!, cancellationToken));
        }
        catch
        {
            await (host?.DisposeAsync() ?? ValueTask.CompletedTask);
            migrations?.Dispose();
            throw;
        }
    }
}
