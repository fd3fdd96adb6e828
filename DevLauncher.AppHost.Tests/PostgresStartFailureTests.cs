using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using DevLauncher.LocalPostgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The local server failing to start, as a bad setting in a developer's cluster makes it: a cluster made beforehand with
/// the AppHost's own library, then a <c>shared_preload_libraries</c> entry that does not exist, so PostgreSQL exits
/// with a FATAL line at once. The app runs in this process with its terminal captured (<see cref="TerminalCapture"/>).
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class PostgresStartFailureTests
{
    private const string MissingLibrary = "devlauncher_no_such_library";
    private const string BadSetting = $"\nshared_preload_libraries = '{MissingLibrary}'\n";

    [Fact]
    public async Task A_server_that_cannot_start_is_one_terminal_line_with_its_fatal_reason()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var folder = TemporaryFolder.Named("devlauncher-bad-server");
        await CreateBrokenClusterAsync(folder.Path, cancellationToken);
        var (host, terminal, started) = await StartAsync(folder.Path, cancellationToken);
        await using (host)
        {
            await AppResources.WaitForExitAsync(host.App!, ResourceNames.Postgres, cancellationToken);
            await terminal.WaitForLineAsync(l => l.StartsWith("postgres failed to start", StringComparison.Ordinal), AppResources.WaitTimeout, cancellationToken);
            await WaitForWaitingReasonAsync(host.App!, cancellationToken);

            var line = Assert.Single(terminal.Lines);
            Assert.StartsWith($"postgres failed to start: FATAL:  could not access file \"{MissingLibrary}\": No such file or directory.", line, StringComparison.Ordinal);
            Assert.Contains("`dotnet aspire resource postgres start`", line, StringComparison.Ordinal);
        }

        await ForgetAsync(started);
    }

    [Fact]
    public async Task Once_the_setting_is_fixed_Start_on_postgres_brings_up_everything_that_waited()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var folder = TemporaryFolder.Named("devlauncher-bad-server");
        var configuration = await CreateBrokenClusterAsync(folder.Path, cancellationToken);
        var (host, _, started) = await StartAsync(folder.Path, cancellationToken);
        await using (host)
        {
            var app = host.App!;
            await AppResources.WaitForExitAsync(app, ResourceNames.Postgres, cancellationToken);
            await WaitForWaitingReasonAsync(app, cancellationToken);

            await File.WriteAllTextAsync(configuration, (await File.ReadAllTextAsync(configuration, cancellationToken)).Replace(BadSetting, ""), cancellationToken);
            await AppResources.ExecuteCommandAsync(app, ResourceNames.Postgres, KnownResourceCommands.StartCommand, cancellationToken);

            await AppResources.WaitForHealthyAsync(app, ResourceNames.Postgres, cancellationToken);
            await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
            await started;
        }
    }

    /// <returns>The cluster's postgresql.conf, which now names a library that does not exist.</returns>
    private static async Task<string> CreateBrokenClusterAsync(string directory, CancellationToken cancellationToken)
    {
        var cluster = new PostgresCluster(directory);
        await cluster.InitializeAsync(maxConnections: 300, NullLogger.Instance, cancellationToken);
        var configuration = Path.Combine(cluster.DataDirectory, "postgresql.conf");
        await File.AppendAllTextAsync(configuration, BadSetting, cancellationToken);
        return configuration;
    }

    /// <summary>
    /// Aspire's start returns once every resource has been created, and the worker is not while it waits for a server
    /// that is down: the start goes on in the background, and the test with it once the app is built.
    /// </summary>
    private static async Task<(TestAppHost Host, TerminalCapture Terminal, Task Started)> StartAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var host = await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken, extra: [$"--{PostgresSettings.DataDirectoryKey}={dataDirectory}"]);
        var terminal = TerminalCapture.Replace(host.Builder);
        // F5 and `dotnet run` run the dashboard, with which Aspire keeps a resource waiting while what it waits for is
        // down; the testing builder gives up at once instead. Here the worker waits as it does for a developer.
        host.Builder.Services.Configure<ResourceNotificationServiceOptions>(o => o.DefaultWaitBehavior = WaitBehavior.WaitOnResourceUnavailable);
        var started = host.StartAsync(cancellationToken);
        while (host.App is null && !started.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        if (host.App is null)
        {
            await host.DisposeAsync();
            await started; // the build's failure
        }

        return (host, terminal, started);
    }

    /// <summary>After the host is disposed: a start still pending then ends with the app, which is no failure of the test's.</summary>
    private static async Task ForgetAsync(Task started)
    {
        try
        {
            await started;
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or ObjectDisposedException or DistributedApplicationException)
        {
        }
    }

    /// <summary>The reporter sets the waiting reason after its line: once the worker shows it, the failure has been handled.</summary>
    private static Task<ResourceEvent> WaitForWaitingReasonAsync(DistributedApplication app, CancellationToken cancellationToken) =>
        app.ResourceNotifications.WaitForResourceAsync(ResourceNames.Migrations,
                e => MigrationsOnDashboard.Property(e.Snapshot, DevLauncherProperties.WaitingFor) is not null, cancellationToken)
            .WaitAsync(AppResources.WaitTimeout, cancellationToken);
}
