using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using DevLauncher.LocalPostgres;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>Two developers' AppHosts on one existing server's database, both pressing Reset database at the same moment.</summary>
[Collection(OneAppAtATime.Name)]
public sealed class ConcurrentResetTests
{
    private const string Refused = "Nothing was reset: ";

    [Fact]
    public async Task Reset_pressed_at_once_on_two_AppHosts_sharing_a_database_leaves_it_migrated_once_and_sound()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await ExistingServers.StartAsync(cancellationToken);
        await using var first = await LoopApps.StartAsync(PostgresMode.Existing, cancellationToken, ExistingServers.Argument(server));
        await using var second = await LoopApps.StartAsync(PostgresMode.Existing, cancellationToken, ExistingServers.Argument(server));
        DistributedApplication[] apps = [first.App!, second.App!];
        var pids = await Task.WhenAll(apps.Select(app => HealthyServicePidsAsync(app, cancellationToken)));
        var database = server.GetConnectionString(ExistingServers.Database);
        await Sql.ExecuteAsync(database, "INSERT INTO auth.users (email, password_hash) VALUES ('before-reset@example.com', 'not a hash')", cancellationToken);

        var results = await Task.WhenAll(apps.Select(app => ExecuteAsync(app, ResourceNames.Database, DevLauncherCommands.ResetDatabase, cancellationToken)));

        AssertResetOrRefused(results);
        for (var i = 0; i < apps.Length; i++)
        {
            await AssertServicesUpAsync(apps[i], pids[i], cancellationToken);
        }

        await AppHostAssertions.EachMigrationAppliedOnceAsync(apps[0], cancellationToken);
        Assert.Equal(await PgDumps.ComparableAsync(await FromScratchAsync(server, cancellationToken), cancellationToken), await PgDumps.ComparableAsync(database, cancellationToken));
    }

    private static async Task<int[]> HealthyServicePidsAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
        return await AppResources.ServicePidsAsync(app, cancellationToken);
    }

    /// <summary>Each result a reset, or a refusal that says why; at least one a reset (a refusal is for the other's Reset).</summary>
    private static void AssertResetOrRefused(ExecuteCommandResult[] results)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(Environment.NewLine, results.Select(r => $"{r.Success}: {r.Message}")));
        Assert.All(results, r => Assert.True(r.Success || (r.Message?.StartsWith(Refused, StringComparison.Ordinal) == true && r.Message.Length > Refused.Length),
            $"Neither a reset nor a refusal that says why: {r.Message}"));
        Assert.Contains(results, r => r.Success);
    }

    /// <summary>Each service in a new process, healthy on the dashboard, and answering 200 on its own /health.</summary>
    private static async Task AssertServicesUpAsync(DistributedApplication app, int[] previousPids, CancellationToken cancellationToken)
    {
        await AppResources.WaitForServicesRestartedAsync(app, previousPids, cancellationToken);
        var endpoints = await AppEndpoints.OfAsync(app, cancellationToken);
        using var http = new HttpClient();
        foreach (var service in new[] { endpoints.Auth, endpoints.Backend, endpoints.Frontend })
        {
            using var health = await http.GetAsync($"{service}/health", cancellationToken);
            Assert.True(health.IsSuccessStatusCode, $"{service}/health answered {(int)health.StatusCode}");
        }
    }

    /// <summary>What the database should be: the worker's files applied from scratch by its engine, no seeds (an existing server is not seeded).</summary>
    private static Task<string> FromScratchAsync(LocalPostgresServer server, CancellationToken cancellationToken) =>
        LoopApps.MigrateFromScratchAsync(server.GetConnectionString(), LoopApps.ScriptsDirectory, seeds: null, cancellationToken);
}
