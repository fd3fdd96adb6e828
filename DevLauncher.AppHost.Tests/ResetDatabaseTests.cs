using Aspire.Hosting;
using DevLauncher.AppHost.Database;
using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.LocalPostgres;
using Npgsql;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests;

/// <summary>"Reset database" on <c>appdb</c>: an empty database, migrated again, and the services back up.</summary>
[Collection(OneAppAtATime.Name)]
public sealed class ResetDatabaseTests
{
    private const string AddUser = "INSERT INTO auth.users (email, password_hash) VALUES ('reset@example.com', 'not a hash')";

    [Fact]
    public async Task Reset_on_a_server_the_AppHost_runs_drops_the_rows_migrates_from_scratch_and_restarts_the_services()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken);
        var app = await host.StartAsync(cancellationToken);
        await WaitForRunAsync(app, 1, cancellationToken);
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
        var owner = (await AppEndpoints.OfAsync(app, cancellationToken)).Database;
        await Sql.ExecuteAsync(owner, AddUser, cancellationToken);
        var pids = await AppResources.ServicePidsAsync(app, cancellationToken);

        var reset = await ExecuteAsync(app, ResourceNames.Database, ResetDatabaseCommand.Name, cancellationToken);

        Assert.True(reset.Success, reset.Message);
        var all = ScratchMigrations.Scripts.Count;
        Assert.Equal($"Database appdb dropped and created again; Finished: at 0007, {all} applied; auth, backend, frontend started again.", reset.Message);
        await AssertFreshAsync(app, owner, pids, cancellationToken);
    }

    [Fact]
    public async Task Reset_on_an_existing_server_drops_only_the_schemas_its_owner_owns_and_leaves_the_rest_of_the_server_alone()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await LocalPostgresServer.StartAsync(new LocalPostgresServerOptions
        {
            Directory = Path.Combine(Path.GetTempPath(), $"devlauncher-reset-server-{Guid.NewGuid():N}"),
            ServerSettings = LocalPostgresServerOptions.ThrowAwaySettings,
            DeleteOnDispose = true,
        }, cancellationToken: cancellationToken);
        var owner = await SharedDatabaseAsync(server, cancellationToken);
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Existing, cancellationToken, extra: [$"--ConnectionStrings:{ResourceNames.Database}={owner}"]);
        var app = await host.StartAsync(cancellationToken);
        await WaitForRunAsync(app, 1, cancellationToken);
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
        await Sql.ExecuteAsync(owner, AddUser, cancellationToken);
        var pids = await AppResources.ServicePidsAsync(app, cancellationToken);

        // Another AppHost's worker on the same database holds the lock: nothing is dropped, and the services come back.
        await using (var otherWorker = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(owner) { Pooling = false }.ConnectionString))
        {
            await otherWorker.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey.Sql})", otherWorker);
            await take.ExecuteNonQueryAsync(cancellationToken);

            var refused = await ExecuteAsync(app, ResourceNames.Database, ResetDatabaseCommand.Name, cancellationToken);

            Assert.False(refused.Success);
            Assert.Equal(DropOwnedSchemas.LockHeld, refused.Message?.Replace("Nothing was reset: ", "", StringComparison.Ordinal));
            Assert.Equal(1L, await Sql.ScalarAsync<long>(owner, "SELECT count(*) FROM auth.users", cancellationToken));
            await AppResources.WaitForServicesRestartedAsync(app, pids, cancellationToken);
            pids = await AppResources.ServicePidsAsync(app, cancellationToken);
        }

        var reset = await ExecuteAsync(app, ResourceNames.Database, ResetDatabaseCommand.Name, cancellationToken);

        Assert.True(reset.Success, reset.Message);
        Assert.StartsWith("The schemas owned by the database's owner in shared dropped; Finished: at 0007", reset.Message, StringComparison.Ordinal);
        await AssertFreshAsync(app, owner, pids, cancellationToken);
        var superuser = server.GetConnectionString("shared");
        Assert.Equal(1L, await Sql.ScalarAsync<long>(superuser, "SELECT count(*) FROM other_team.keep", cancellationToken));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(superuser, "SELECT count(*) FROM public.owners_note", cancellationToken));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(server.GetConnectionString("neighbour"), "SELECT count(*) FROM public.keep", cancellationToken));
    }

    /// <summary>
    /// A database <c>shared</c> that a user owns but did not create, with a schema of another owner and a table of its
    /// own in public, and a neighbouring database on the same server: everything a reset must not touch.
    /// </summary>
    private static async Task<string> SharedDatabaseAsync(LocalPostgresServer server, CancellationToken cancellationToken)
    {
        await Sql.ExecuteAsync(server.GetConnectionString(), "CREATE ROLE app_owner LOGIN CREATEROLE PASSWORD 'app-owner-password'", cancellationToken);
        await Sql.ExecuteAsync(server.GetConnectionString(), "CREATE DATABASE shared OWNER app_owner", cancellationToken);
        await Sql.ExecuteAsync(server.GetConnectionString(), "CREATE DATABASE neighbour", cancellationToken);
        await Sql.ExecuteAsync(server.GetConnectionString("neighbour"), "CREATE TABLE public.keep (id int); INSERT INTO public.keep VALUES (1)", cancellationToken);
        await Sql.ExecuteAsync(server.GetConnectionString("shared"),
            "CREATE SCHEMA other_team; CREATE TABLE other_team.keep (id int); INSERT INTO other_team.keep VALUES (1)",
            cancellationToken);
        var owner = new NpgsqlConnectionStringBuilder(server.GetConnectionString("shared")) { Username = "app_owner", Password = "app-owner-password" }.ConnectionString;
        await Sql.ExecuteAsync(owner, "CREATE TABLE public.owners_note (id int); INSERT INTO public.owners_note VALUES (1)", cancellationToken);
        return owner;
    }

    /// <summary>No row left, every migration applied once by the run the reset started, and the services healthy again in new processes.</summary>
    private static async Task AssertFreshAsync(DistributedApplication app, string owner, IReadOnlyList<int> servicePids, CancellationToken cancellationToken)
    {
        var worker = Current(app, ResourceNames.Migrations);
        var all = ScratchMigrations.Scripts.Count;
        Assert.Equal((2, $"Finished: at 0007, {all} applied"), (MigrationProperties.RunOf(worker), worker.State?.Text));
        Assert.Equal((all, (long)all), (Property(worker, MigrationProperties.AppliedByRunProperty), Property(worker, MigrationProperties.AppliedTotalProperty)));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(owner, "SELECT count(*) FROM auth.users", cancellationToken));
        Assert.Equal((long)all, await Sql.ScalarAsync<long>(owner, $"SELECT count(*) FROM {SchemaHistory.Table}", cancellationToken));
        await AppResources.WaitForServicesRestartedAsync(app, servicePids, cancellationToken);
        await AppHostAssertions.ServiceRoleCannotRunDdlAsync(app, cancellationToken);
    }
}
