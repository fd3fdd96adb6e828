using System.Globalization;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Hosting.Postgres;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests.Container;

/// <summary>
/// Three AppHosts started at once on the same container server, as a team's three terminals on one Docker: one
/// persistent container, which none of them has yet, and one branch database, whose schema is applied once. The
/// services are held back: what is shared is the server, the database and the worker's lock.
/// </summary>
[Collection(ContainerApps.Name)]
[Trait("Requires", "Docker")]
public sealed class ThreeAppHostsTests
{
    private const int AppHosts = 3;

    [Fact]
    public async Task Three_AppHosts_at_once_share_one_container_and_apply_each_migration_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await DockerEngine.RequireAsync(cancellationToken);
        await using var container = new TestContainer(DockerEngine.NewContainerName());
        using var migrations = ScratchMigrations.CopyOfScripts();
        var hosts = new List<TestAppHost>();
        try
        {
            for (var i = 0; i < AppHosts; i++)
            {
                hosts.Add(await TestAppHost.CreateAsync(PostgresMode.Container, cancellationToken, keepPersistence: true, services: false,
                    extra: [$"--{PostgresContainer.ImageKey}={DockerEngine.Image}", $"--{PostgresContainer.NameKey}={container.Name}", migrations.Argument]));
            }

            var apps = await Task.WhenAll(hosts.Select(h => h.StartAsync(cancellationToken)));
            var runs = await Task.WhenAll(apps.Select(app => WaitForRunAsync(app, 1, cancellationToken)));

            Assert.All(runs, run => Assert.Equal(0, run.ExitCode));
            Assert.Equal((long)ScratchMigrations.Scripts.Count, runs.Sum(run => Convert.ToInt64(Property(run, DevLauncherProperties.AppliedByRun), CultureInfo.InvariantCulture)));
            Assert.Single((await DockerEngine.DockerAsync(cancellationToken, "ps", "--all", "--quiet", "--filter", $"name=^{container.Name}$")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            await AppHostAssertions.EachMigrationAppliedOnceAsync(apps[0], cancellationToken);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
