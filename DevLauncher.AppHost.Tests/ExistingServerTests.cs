using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using DevLauncher.LocalPostgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// Existing-server mode as a team uses it: several developers' AppHosts on one shared database, all started at once
/// (a class fixture). The server is one of the test's own, from the machine's PostgreSQL programs.
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class ExistingServerTests(ExistingServerTests.ThreeAppHosts team) : IClassFixture<ExistingServerTests.ThreeAppHosts>
{
    private const string Database = "shared";

    [Fact]
    public async Task Every_AppHosts_worker_finishes_with_exit_code_0()
    {
        foreach (var app in team.Apps)
        {
            var worker = await AppResources.WaitForExitAsync(app, ResourceNames.Migrations, TestContext.Current.CancellationToken);
            Assert.Equal(0, worker.Snapshot.ExitCode);
        }
    }

    [Fact]
    public async Task Every_AppHosts_services_answer_healthy()
    {
        using var http = new HttpClient();
        foreach (var endpoints in team.Endpoints)
        {
            foreach (var service in new[] { endpoints.Auth, endpoints.Backend, endpoints.Frontend })
            {
                using var health = await http.GetAsync($"{service}/health", TestContext.Current.CancellationToken);
                Assert.True(health.IsSuccessStatusCode, $"{service}/health answered {(int)health.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Every_AppHosts_services_log_in_as_the_service_role()
    {
        foreach (var endpoints in team.Endpoints)
        {
            Assert.Equal(ServiceRole.Name, await Sql.ScalarAsync<string>(endpoints.ServiceDatabase, "SELECT current_user::text", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Each_migration_is_applied_once() =>
        await AppHostAssertions.EachMigrationAppliedOnceAsync(team.Apps[0], TestContext.Current.CancellationToken);

    [Fact]
    public async Task One_worker_applies_every_migration()
    {
        var appliedBy = await Sql.ScalarAsync<long>(team.Server.GetConnectionString(Database),
            "SELECT count(DISTINCT applied_by) FROM devlauncher.schema_history", TestContext.Current.CancellationToken);

        Assert.True(appliedBy == 1, $"The migrations were applied by {appliedBy} workers, not one");
    }

    /// <summary>
    /// The team's server with the empty database they share, and three AppHosts on it started at the same moment. Each
    /// gets the same owner's connection string and the same service-password parameter, as a team sharing one server's
    /// user secrets would: each worker sets that password, so the AppHosts must agree on it.
    /// </summary>
    public sealed class ThreeAppHosts : AppScenario
    {
        private const int AppHosts = 3;

        internal LocalPostgresServer Server { get; private set; } = null!;

        public IReadOnlyList<DistributedApplication> Apps { get; private set; } = [];

        public IReadOnlyList<AppEndpoints> Endpoints { get; private set; } = [];

        protected override async Task RunAsync(CancellationToken cancellationToken)
        {
            Server = Own(await ThrowAwayServer.StartAsync("shared-server", cancellationToken: cancellationToken));
            await Server.CreateDatabaseAsync(Database, "template0", cancellationToken);
            var owner = $"--ConnectionStrings:{ResourceNames.Database}={Server.GetConnectionString(Database)}";
            var hosts = new List<TestAppHost>();
            for (var i = 0; i < AppHosts; i++)
            {
                hosts.Add(Own(await TestAppHost.CreateAsync(PostgresMode.Existing, cancellationToken, extra: [owner])));
            }

            Apps = await Task.WhenAll(hosts.Select(h => h.StartAsync(cancellationToken)));
            foreach (var app in Apps)
            {
                await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
            }

            Endpoints = await Task.WhenAll(Apps.Select(a => AppEndpoints.OfAsync(a, cancellationToken)));
        }
    }
}
