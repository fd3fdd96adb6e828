using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests;

/// <summary>"Check migrations" and "Apply migrations" on the worker, executed as the dashboard executes them.</summary>
public static class MigrationCommandTests
{
    private const string Notes = "0008_app_notes.sql";

    /// <summary>A developer adds a migration that the backend of the next release needs, checks it, and applies it.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class AnAddedMigration(AnAddedMigration.Scenario scenario) : IClassFixture<AnAddedMigration.Scenario>
    {
        [Fact]
        public void Check_with_nothing_pending_says_so() =>
            Assert.Equal((true, "Database at 0007; nothing pending."), (scenario.UpToDate.Success, scenario.UpToDate.Message));

        [Fact]
        public void Check_lists_the_file_the_developer_added()
        {
            Assert.Equal((true, $"Database at 0007; 1 pending: {Notes}. {DevLauncherCommands.PreviewMigrationsDisplayName} shows what they will lock, rewrite and lose on a copy of this data."), (scenario.Pending.Success, scenario.Pending.Message));
            Assert.Contains($"pending: {Notes}", scenario.Pending.Data?.Value, StringComparison.Ordinal);
        }

        [Fact]
        public void Check_applies_nothing() =>
            Assert.Equal((false, 1), (scenario.NotesAfterCheck, scenario.RunsAfterCheck));

        [Fact]
        public void Apply_answers_with_the_file_it_applied() =>
            Assert.Equal((true, $"At 0008: applied {Notes}."), (scenario.Applied.Success, scenario.Applied.Message));

        [Fact]
        public void Apply_shows_its_run_on_the_worker()
        {
            var worker = scenario.WorkerAfterApply;

            Assert.Equal((2, "at 0008, 1 applied", 1, 8L), (MigrationProperties.RunOf(worker), Property(worker, DevLauncherProperties.Outcome),
                Property(worker, DevLauncherProperties.AppliedByRun), Property(worker, DevLauncherProperties.AppliedTotal)));
        }

        [Fact]
        public void Apply_runs_the_added_file() =>
            Assert.True(scenario.NotesAfterApply, "app.notes is missing after Apply migrations");

        [Fact]
        public async Task The_service_that_waited_for_the_file_opens_without_a_restart()
        {
            await WaitForHealthAsync(scenario.App, ResourceNames.Backend, HealthStatus.Healthy, SchemaGateReason.Versions(8, 8), TestContext.Current.CancellationToken);

            Assert.Equal(scenario.Pids, await AppResources.ServicePidsAsync(scenario.App, TestContext.Current.CancellationToken));
        }

        public sealed class Scenario : AppScenario
        {
            public IReadOnlyList<int> Pids { get; private set; } = [];

            public ExecuteCommandResult UpToDate { get; private set; } = null!;

            public ExecuteCommandResult Pending { get; private set; } = null!;

            public bool NotesAfterCheck { get; private set; }

            public int RunsAfterCheck { get; private set; }

            public ExecuteCommandResult Applied { get; private set; } = null!;

            public CustomResourceSnapshot WorkerAfterApply { get; private set; } = null!;

            public bool NotesAfterApply { get; private set; }

            protected override async Task RunAsync(CancellationToken cancellationToken)
            {
                var migrations = Own(ScratchMigrations.CopyOfScripts());
                Own(await StartOnScratchAsync(migrations, ResourceNames.Backend, "SchemaGate__RequiredVersion", "8", cancellationToken));
                await WaitForHealthAsync(App, ResourceNames.Backend, HealthStatus.Unhealthy, SchemaGateReason.Versions(8, 7), cancellationToken);
                Pids = await AppResources.ServicePidsAsync(App, cancellationToken);
                var owner = (await AppEndpoints.OfAsync(App, cancellationToken)).Database;

                UpToDate = await ExecuteAsync(App, ResourceNames.Migrations, DevLauncherCommands.CheckMigrations, cancellationToken);
                migrations.Write(Notes, "CREATE TABLE app.notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);\n");
                Pending = await ExecuteAsync(App, ResourceNames.Migrations, DevLauncherCommands.CheckMigrations, cancellationToken);
                NotesAfterCheck = await NotesExistAsync(owner, cancellationToken);
                RunsAfterCheck = MigrationProperties.RunOf(Current(App, ResourceNames.Migrations));

                Applied = await ExecuteAsync(App, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);
                WorkerAfterApply = Current(App, ResourceNames.Migrations);
                NotesAfterApply = await NotesExistAsync(owner, cancellationToken);
            }

            private static Task<bool> NotesExistAsync(string owner, CancellationToken cancellationToken) =>
                Sql.ScalarAsync<bool>(owner, "SELECT to_regclass('app.notes') IS NOT NULL", cancellationToken);
        }
    }

    /// <summary>An applied file edited afterwards, then put back; then a session of the test's own holding the migration lock.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class DriftAndALock(DriftAndALock.Scenario scenario) : IClassFixture<DriftAndALock.Scenario>
    {
        [Fact]
        public void Check_names_the_drifted_file() =>
            Assert.Equal((false, $"Database at 0007; the plan stops: drift in {scenario.Drifted}. Apply migrations would apply nothing."),
                (scenario.DriftCheck.Success, scenario.DriftCheck.Message));

        [Fact]
        public void Checks_details_say_what_the_drift_is() =>
            Assert.Contains($"Drift: {scenario.Drifted} was changed after it was applied", scenario.DriftCheck.Data?.Value, StringComparison.Ordinal);

        [Fact]
        public void Apply_refuses_drift_with_the_workers_reason()
        {
            Assert.False(scenario.DriftApply.Success);
            Assert.StartsWith($"Nothing was applied. Drift: {scenario.Drifted}", scenario.DriftApply.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_run_refused_for_drift_shows_what_exit_code_5_means()
        {
            Assert.Equal($"drift in {scenario.Drifted}", Property(scenario.WorkerAfterDrift, DevLauncherProperties.Outcome));
            Assert.Equal("5: nothing applied, the files and the history disagree", Property(scenario.WorkerAfterDrift, DevLauncherProperties.ExitCode));
        }

        [Fact]
        public void Apply_while_another_session_holds_the_lock_names_that_session()
        {
            Assert.False(scenario.LockedApply.Success);
            Assert.Contains($"It is held by pid {scenario.HolderPid} (application_name 'held-by-test'", scenario.LockedApply.Message, StringComparison.Ordinal);
            Assert.Equal($"lock held by pid {scenario.HolderPid} (held-by-test)", Property(scenario.WorkerWhileLocked, DevLauncherProperties.Outcome));
        }

        [Fact]
        public void A_run_that_timed_out_on_the_lock_shows_what_exit_code_3_means() =>
            Assert.Equal("3: another session held the migration lock too long", Property(scenario.WorkerWhileLocked, DevLauncherProperties.ExitCode));

        [Fact]
        public void Once_the_lock_is_free_Apply_succeeds_with_nothing_to_apply()
        {
            Assert.Equal((true, "At 0007, up to date."), (scenario.FreedApply.Success, scenario.FreedApply.Message));
            Assert.Equal((4, 0, 7L), (MigrationProperties.RunOf(scenario.WorkerAfterFree), Property(scenario.WorkerAfterFree, DevLauncherProperties.AppliedByRun),
                Property(scenario.WorkerAfterFree, DevLauncherProperties.AppliedTotal)));
        }

        [Fact]
        public void A_successful_run_clears_the_last_runs_failure() =>
            Assert.Null(Property(scenario.WorkerAfterFree, DevLauncherProperties.Failure));

        public sealed class Scenario : AppScenario
        {
            public string Drifted { get; } = ScratchMigrations.Scripts[2];

            public ExecuteCommandResult DriftCheck { get; private set; } = null!;

            public ExecuteCommandResult DriftApply { get; private set; } = null!;

            public CustomResourceSnapshot WorkerAfterDrift { get; private set; } = null!;

            public int HolderPid { get; private set; }

            public ExecuteCommandResult LockedApply { get; private set; } = null!;

            public CustomResourceSnapshot WorkerWhileLocked { get; private set; } = null!;

            public ExecuteCommandResult FreedApply { get; private set; } = null!;

            public CustomResourceSnapshot WorkerAfterFree { get; private set; } = null!;

            protected override async Task RunAsync(CancellationToken cancellationToken)
            {
                var migrations = Own(ScratchMigrations.CopyOfScripts());
                Own(await StartOnScratchAsync(migrations, ResourceNames.Migrations, "Migrations__LockTimeout", "00:00:02", cancellationToken));
                var original = await File.ReadAllTextAsync(Path.Combine(migrations.Path, Drifted), cancellationToken);
                migrations.Append(Drifted, "\n-- edited after it was applied\n");
                DriftCheck = await ExecuteAsync(App, ResourceNames.Migrations, DevLauncherCommands.CheckMigrations, cancellationToken);
                DriftApply = await ExecuteAsync(App, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);
                WorkerAfterDrift = Current(App, ResourceNames.Migrations);

                migrations.Write(Drifted, original);
                await ApplyWhileLockedAsync(cancellationToken);
                FreedApply = await ExecuteAsync(App, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);
                WorkerAfterFree = Current(App, ResourceNames.Migrations);
            }

            private async Task ApplyWhileLockedAsync(CancellationToken cancellationToken)
            {
                var owner = (await AppEndpoints.OfAsync(App, cancellationToken)).Database;
                await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(owner) { Pooling = false, ApplicationName = "held-by-test" }.ConnectionString);
                await holder.OpenAsync(cancellationToken);
                await using var take = new NpgsqlCommand($"SELECT pg_backend_pid() FROM (SELECT pg_advisory_lock({MigrationLockKey.Sql})) AS locked", holder);
                HolderPid = (int)(await take.ExecuteScalarAsync(cancellationToken))!;
                LockedApply = await ExecuteAsync(App, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);
                WorkerWhileLocked = Current(App, ResourceNames.Migrations);
            }
        }
    }
}
