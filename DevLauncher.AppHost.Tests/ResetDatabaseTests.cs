using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Database;
using DevLauncher.Hosting.Migrations;
using DevLauncher.Hosting.Postgres;
using DevLauncher.LocalPostgres;
using Npgsql;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests;

/// <summary>"Reset database" on <c>appdb</c>: on a server the AppHost runs, a copy of the template under running services; on an existing server, the owner's schemas dropped and migrated again.</summary>
public static class ResetDatabaseTests
{
    private const string AddUser = "INSERT INTO auth.users (email, password_hash) VALUES ('reset@example.com', 'not a hash')";
    private const string Emails = "SELECT coalesce(array_agg(email::text ORDER BY email), '{}') FROM auth.users";

    /// <summary>Reset on the server the AppHost runs, with a row the developer added.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class OnAServerTheAppHostRuns(OnAServerTheAppHostRuns.Scenario scenario) : IClassFixture<OnAServerTheAppHostRuns.Scenario>
    {
        [Fact]
        public void Reset_answers_with_the_template_it_copied()
        {
            var database = new NpgsqlConnectionStringBuilder(scenario.Owner).Database;

            Assert.True(scenario.Reset.Success, scenario.Reset.Message);
            Assert.Matches($"^{database} copied from appdb_tpl_[0-9a-f]{{16}} in \\d+ ms; the services kept running\\.$", scenario.Reset.Message);
        }

        [Fact]
        public void Reset_takes_away_the_rows_the_developer_added() =>
            Assert.DoesNotContain("reset@example.com", scenario.EmailsAfter);

        [Fact]
        public void Reset_brings_back_the_demo_seed() =>
            Assert.Equal(["demo@devlauncher.dev"], scenario.EmailsAfter);

        [Fact]
        public async Task Reset_leaves_every_migration_applied_once() =>
            await AppHostAssertions.EachMigrationAppliedOnceAsync(scenario.App, TestContext.Current.CancellationToken);

        [Fact]
        public void Reset_copies_without_running_the_worker() =>
            Assert.Equal(1, MigrationProperties.RunOf(Current(scenario.App, ResourceNames.Migrations)));

        [Fact]
        public void The_worker_shows_the_reset_databases_version() =>
            Assert.Equal(("0007", 7L, "none"), (Property(scenario.WorkerAfter, DevLauncherProperties.SchemaVersion),
                Property(scenario.WorkerAfter, DevLauncherProperties.AppliedTotal), Property(scenario.WorkerAfter, DevLauncherProperties.Pending)));

        [Fact]
        public void The_worker_shows_that_Undo_has_no_snapshot_of_the_reset_database() =>
            Assert.Matches("^No snapshot of appdb_[a-z0-9_]+: Undo takes back a run this AppHost applied on this server\\.$",
                (string?)Property(scenario.WorkerAfter, DevLauncherProperties.Undo));

        [Fact]
        public async Task The_services_keep_their_processes() =>
            Assert.Equal(scenario.Pids, await AppResources.ServicePidsAsync(scenario.App, TestContext.Current.CancellationToken));

        [Fact]
        public async Task The_services_answer_on_the_reset_database()
        {
            using var api = new ApiClient(await AppEndpoints.OfAsync(scenario.App, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

            var token = await api.SignUpAndInAsync(ApiClient.NewEmail());

            Assert.NotEmpty(token);
        }

        [Fact]
        public async Task The_service_role_still_cannot_run_DDL() =>
            await AppHostAssertions.ServiceRoleCannotRunDdlAsync(scenario.App, TestContext.Current.CancellationToken);

        public sealed class Scenario : AppScenario
        {
            public string Owner { get; private set; } = null!;

            public IReadOnlyList<int> Pids { get; private set; } = [];

            public ExecuteCommandResult Reset { get; private set; } = null!;

            public string[] EmailsAfter { get; private set; } = [];

            public CustomResourceSnapshot WorkerAfter { get; private set; } = null!;

            protected override async Task RunAsync(CancellationToken cancellationToken)
            {
                await Own(await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken)).StartAsync(cancellationToken);
                await WaitForRunAsync(App, 1, cancellationToken);
                await AppResources.WaitForServicesHealthyAsync(App, cancellationToken);
                Owner = (await AppEndpoints.OfAsync(App, cancellationToken)).Database;
                await Sql.ExecuteAsync(Owner, AddUser, cancellationToken);
                Pids = await AppResources.ServicePidsAsync(App, cancellationToken);

                Reset = await ExecuteAsync(App, ResourceNames.Database, DevLauncherCommands.ResetDatabase, cancellationToken);
                EmailsAfter = await Sql.ScalarAsync<string[]>(Owner, Emails, cancellationToken);
                WorkerAfter = Current(App, ResourceNames.Migrations);
            }
        }
    }

    /// <summary>
    /// Reset on an existing server, in a database <c>shared</c> that a user owns but did not create: first while another
    /// AppHost's worker holds the migration lock, then once it is free.
    /// </summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class OnAnExistingServer(OnAnExistingServer.Scenario scenario) : IClassFixture<OnAnExistingServer.Scenario>
    {
        [Fact]
        public void Reset_refuses_while_another_worker_holds_the_migration_lock() =>
            Assert.Equal((false, $"Nothing was reset: {DropOwnedSchemas.LockHeld}"), (scenario.Refused.Success, scenario.Refused.Message));

        [Fact]
        public void A_refused_reset_keeps_the_rows() =>
            Assert.Equal(["reset@example.com"], scenario.EmailsAfterRefusal);

        [Fact]
        public void A_refused_reset_starts_the_services_again() =>
            Assert.DoesNotContain(scenario.PidsAfterRefusal, scenario.Pids.Contains);

        [Fact]
        public void Reset_answers_with_each_step_it_took()
        {
            Assert.True(scenario.Reset.Success, scenario.Reset.Message);
            Assert.StartsWith("The schemas owned by the database's owner in shared dropped; At 0007: applied 0001_", scenario.Reset.Message, StringComparison.Ordinal);
            Assert.EndsWith(" auth, backend, frontend started again.", scenario.Reset.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Reset_drops_the_owners_rows() =>
            Assert.Empty(scenario.EmailsAfterReset);

        [Fact]
        public void Reset_migrates_from_scratch_in_a_new_run_of_the_worker() =>
            Assert.Equal((2, ScratchMigrations.Scripts.Count), (MigrationProperties.RunOf(scenario.WorkerAfterReset),
                Property(scenario.WorkerAfterReset, DevLauncherProperties.AppliedByRun)));

        [Fact]
        public async Task Reset_leaves_every_migration_applied_once() =>
            await AppHostAssertions.EachMigrationAppliedOnceAsync(scenario.App, TestContext.Current.CancellationToken);

        [Fact]
        public async Task Reset_restarts_the_services()
        {
            await AppResources.WaitForServicesRestartedAsync(scenario.App, scenario.PidsAfterRefusal, TestContext.Current.CancellationToken);

            Assert.DoesNotContain(await AppResources.ServicePidsAsync(scenario.App, TestContext.Current.CancellationToken), scenario.PidsAfterRefusal.Contains);
        }

        [Theory]
        [InlineData("shared", "SELECT count(*) FROM other_team.keep")]
        [InlineData("shared", "SELECT count(*) FROM public.owners_note")]
        [InlineData("neighbour", "SELECT count(*) FROM public.keep")]
        public async Task Reset_keeps_what_the_owners_schemas_do_not_hold(string database, string count) =>
            Assert.Equal(1L, await Sql.ScalarAsync<long>(scenario.Server.GetConnectionString(database), count, TestContext.Current.CancellationToken));

        public sealed class Scenario : AppScenario
        {
            internal LocalPostgresServer Server { get; private set; } = null!;

            public IReadOnlyList<int> Pids { get; private set; } = [];

            public ExecuteCommandResult Refused { get; private set; } = null!;

            public string[] EmailsAfterRefusal { get; private set; } = [];

            public IReadOnlyList<int> PidsAfterRefusal { get; private set; } = [];

            public ExecuteCommandResult Reset { get; private set; } = null!;

            public string[] EmailsAfterReset { get; private set; } = [];

            public CustomResourceSnapshot WorkerAfterReset { get; private set; } = null!;

            protected override async Task RunAsync(CancellationToken cancellationToken)
            {
                Server = Own(await ThrowAwayServer.StartAsync("reset-server", cancellationToken: cancellationToken));
                var owner = await SharedDatabaseAsync(Server, cancellationToken);
                await Own(await TestAppHost.CreateAsync(PostgresMode.Existing, cancellationToken, extra: [$"--ConnectionStrings:{ResourceNames.Database}={owner}"])).StartAsync(cancellationToken);
                await WaitForRunAsync(App, 1, cancellationToken);
                await AppResources.WaitForServicesHealthyAsync(App, cancellationToken);
                await Sql.ExecuteAsync(owner, AddUser, cancellationToken);
                Pids = await AppResources.ServicePidsAsync(App, cancellationToken);

                await ResetWhileLockedAsync(owner, cancellationToken);
                Reset = await ExecuteAsync(App, ResourceNames.Database, DevLauncherCommands.ResetDatabase, cancellationToken);
                EmailsAfterReset = await Sql.ScalarAsync<string[]>(owner, Emails, cancellationToken);
                WorkerAfterReset = Current(App, ResourceNames.Migrations);
            }

            /// <summary>Another AppHost's worker on the same database holds the lock meanwhile.</summary>
            private async Task ResetWhileLockedAsync(string owner, CancellationToken cancellationToken)
            {
                await using var otherWorker = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(owner) { Pooling = false }.ConnectionString);
                await otherWorker.OpenAsync(cancellationToken);
                await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey.Sql})", otherWorker);
                await take.ExecuteNonQueryAsync(cancellationToken);

                Refused = await ExecuteAsync(App, ResourceNames.Database, DevLauncherCommands.ResetDatabase, cancellationToken);
                EmailsAfterRefusal = await Sql.ScalarAsync<string[]>(owner, Emails, cancellationToken);
                await AppResources.WaitForServicesRestartedAsync(App, Pids, cancellationToken);
                PidsAfterRefusal = await AppResources.ServicePidsAsync(App, cancellationToken);
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
                    "CREATE SCHEMA other_team; CREATE TABLE other_team.keep (id int); INSERT INTO other_team.keep VALUES (1)", cancellationToken);
                var owner = new NpgsqlConnectionStringBuilder(server.GetConnectionString("shared")) { Username = "app_owner", Password = "app-owner-password" }.ConnectionString;
                await Sql.ExecuteAsync(owner, "CREATE TABLE public.owners_note (id int); INSERT INTO public.owners_note VALUES (1)", cancellationToken);
                return owner;
            }
        }
    }
}
