using Aspire.Hosting;
using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.LocalPostgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// Existing-server mode as a team uses it: several developers' AppHosts on one shared database, all started at once.
/// The server is one of the test's own, from the machine's PostgreSQL programs.
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class ExistingServerTests
{
    private const int AppHosts = 3;
    private const string Database = "shared";

    [Fact]
    public async Task Three_AppHosts_started_at_the_same_moment_on_one_database_all_come_up_and_migrate_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await StartServerAsync(cancellationToken);
        // Every AppHost gets the same owner's connection string and the same service-password parameter, as a team
        // sharing one server's user secrets would: each worker sets that password, so the AppHosts must agree on it.
        var owner = $"--ConnectionStrings:{ResourceNames.Database}={server.GetConnectionString(Database)}";

        var hosts = new List<TestAppHost>();
        try
        {
            for (var i = 0; i < AppHosts; i++)
            {
                hosts.Add(await TestAppHost.CreateAsync(PostgresMode.Existing, cancellationToken, extra: [owner]));
            }

            var apps = await Task.WhenAll(hosts.Select(h => h.StartAsync(cancellationToken)));
            foreach (var app in apps)
            {
                await AssertUpAsync(app, cancellationToken);
            }

            await AppHostAssertions.EachMigrationAppliedOnceAsync(apps[0], cancellationToken);
            var appliedBy = await Sql.ScalarAsync<long>(server.GetConnectionString(Database),
                "SELECT count(DISTINCT applied_by) FROM devlauncher.schema_history", cancellationToken);
            Assert.True(appliedBy == 1, $"The migrations were applied by {appliedBy} workers, not one");
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>The team's server, with the empty database they share.</summary>
    private static async Task<LocalPostgresServer> StartServerAsync(CancellationToken cancellationToken)
    {
        var server = await LocalPostgresServer.StartAsync(new LocalPostgresServerOptions
        {
            Directory = Path.Combine(Path.GetTempPath(), $"devlauncher-shared-server-{Guid.NewGuid():N}"),
            ServerSettings = LocalPostgresServerOptions.ThrowAwaySettings,
            DeleteOnDispose = true,
        }, cancellationToken: cancellationToken);
        await server.CreateDatabaseAsync(Database, "template0", cancellationToken);
        return server;
    }

    /// <summary>Its worker finished with 0, its services are healthy, and its services' connection logs in.</summary>
    private static async Task AssertUpAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var worker = await AppResources.WaitForExitAsync(app, ResourceNames.Migrations, cancellationToken);
        Assert.Equal(0, worker.Snapshot.ExitCode);
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);

        var endpoints = await AppEndpoints.OfAsync(app, cancellationToken);
        using var http = new HttpClient();
        foreach (var service in new[] { endpoints.Auth, endpoints.Backend, endpoints.Frontend })
        {
            using var health = await http.GetAsync($"{service}/health", cancellationToken);
            Assert.True(health.IsSuccessStatusCode, $"{service}/health answered {(int)health.StatusCode}");
        }

        Assert.Equal(ServiceRole.Name, await Sql.ScalarAsync<string>(endpoints.ServiceDatabase, "SELECT current_user::text", cancellationToken));
    }
}
