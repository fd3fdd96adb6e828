using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// A migration that fails on the app's first start, as a developer meets it: the terminal says what failed and how to
/// retry, the services say what they wait for, and fixing the file then Apply migrations brings them up without a
/// restart. The app runs in this process with its terminal captured (<see cref="TerminalCapture"/>): the same lines the
/// AppHost's process prints on standard error, without the logger's, and the dashboard's commands at hand.
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class BrokenMigrationAtStartTests
{
    private const string Broken = "0008_broken.sql";
    private const string BrokenSql = "CREATE TABLE app.partial (id int);\n\nINSERT INTO app.missing VALUES (1);\n";

    [Fact]
    public async Task The_terminal_shows_one_line_naming_the_file_sqlstate_line_and_Apply_migrations()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var migrations = BrokenScripts();
        var (host, terminal) = await StartAsync(migrations, cancellationToken);
        await using (host)
        {
            await terminal.WaitForLineAsync(l => l.StartsWith("migrations failed", StringComparison.Ordinal), AppResources.WaitTimeout, cancellationToken);
            // Written after the worker's line: by then anything else the failure made the terminal say has been said.
            await Task.WhenAll(AppResources.Services.Select(s => WaitForPropertyAsync(host.App!, s, cancellationToken)));

            var line = Assert.Single(terminal.Lines);
            Assert.StartsWith("migrations failed (exit code 4): Migration 0008_broken.sql failed and was rolled back: SQLSTATE 42P01:", line, StringComparison.Ordinal);
            Assert.Contains("(line 3", line, StringComparison.Ordinal);
            Assert.Contains("run Apply migrations", line, StringComparison.Ordinal);
            Assert.Contains($"`dotnet aspire resource migrations {DevLauncherCommands.ApplyMigrations}`", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Each_service_shows_that_it_waits_for_the_failed_migration()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var migrations = BrokenScripts();
        var (host, _) = await StartAsync(migrations, cancellationToken);
        await using (host)
        {
            foreach (var service in AppResources.Services)
            {
                var waitingFor = await WaitForPropertyAsync(host.App!, service, cancellationToken);
                Assert.StartsWith("migrations, which failed: 0008_broken.sql, 42P01, line 3.", waitingFor, StringComparison.Ordinal);
                Assert.Contains("Apply migrations", waitingFor, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Fixing_the_file_then_Apply_migrations_starts_the_services_that_gave_up_with_no_restart()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var migrations = BrokenScripts();
        var (host, _) = await StartAsync(migrations, cancellationToken);
        await using (host)
        {
            var app = host.App!;
            migrations.Write(Broken, "CREATE TABLE app.partial (id int);\n");
            var applied = await ExecuteAsync(app, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);

            Assert.True(applied.Success, applied.Message);
            await Task.WhenAll(AppResources.Services.Select(s => WaitForHealthyAgainAsync(app, s, cancellationToken)));
        }
    }

    private static ScratchMigrations BrokenScripts() => ScratchMigrations.CopyOfScripts().Write(Broken, BrokenSql);

    /// <summary>The app on the broken files, once every service has given up waiting for the worker's failed run.</summary>
    private static async Task<(TestAppHost Host, TerminalCapture Terminal)> StartAsync(ScratchMigrations migrations, CancellationToken cancellationToken)
    {
        var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken, extra: [migrations.Argument]);
        var terminal = TerminalCapture.Replace(host.Builder);
        try
        {
            await WaitForServicesGaveUpAsync(await host.StartAsync(cancellationToken), cancellationToken);
            return (host, terminal);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The worker's run is on the dashboard and every service gave up waiting for it (Failed to start).</summary>
    private static async Task WaitForServicesGaveUpAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        await WaitForRunAsync(app, 1, cancellationToken);
        foreach (var service in AppResources.Services)
        {
            await AppResources.WaitForStateAsync(app, service, s => s == KnownResourceStates.FailedToStart, cancellationToken);
        }
    }

    /// <summary>Running and healthy: unlike Aspire's health wait, this one does not stop at the Failed to start it begins in.</summary>
    private static Task<ResourceEvent> WaitForHealthyAgainAsync(DistributedApplication app, string service, CancellationToken cancellationToken) =>
        app.ResourceNotifications.WaitForResourceAsync(service,
                e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy, cancellationToken)
            .WaitAsync(AppResources.WaitTimeout, cancellationToken);

    private static async Task<string> WaitForPropertyAsync(DistributedApplication app, string service, CancellationToken cancellationToken)
    {
        var shown = await app.ResourceNotifications
            .WaitForResourceAsync(service, e => Property(e.Snapshot, DevLauncherProperties.WaitingFor) is not null, cancellationToken)
            .WaitAsync(AppResources.WaitTimeout, cancellationToken);
        return Assert.IsType<string>(Property(shown.Snapshot, DevLauncherProperties.WaitingFor));
    }
}
