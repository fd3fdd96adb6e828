using System.Globalization;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests;

/// <summary>What the dashboard says about a run of the worker: Aspire's state, and the run's details panel.</summary>
public static class MigrationStateTests
{
    /// <summary>The start's run on a fresh database.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class AfterAFreshStart(AfterAFreshStart.FreshStart start) : IClassFixture<AfterAFreshStart.FreshStart>
    {
        private static readonly IReadOnlyList<string> All = ScratchMigrations.Scripts;
        private static readonly string Version = All[^1][..4];

        [Fact]
        public void The_run_ends_in_Aspires_Finished_state_with_exit_code_0() =>
            Assert.Equal((KnownResourceStates.Finished, (int?)0), (start.Worker.State?.Text, start.Worker.ExitCode));

        [Fact]
        public void The_runs_outcome_says_it_applied_every_file() =>
            Assert.Equal($"at {Version}, {All.Count} applied", Property(start.Worker, DevLauncherProperties.Outcome));

        [Fact]
        public void The_run_shows_the_schema_version_it_reached() =>
            Assert.Equal(Version, Property(start.Worker, DevLauncherProperties.SchemaVersion));

        [Fact]
        public void The_run_lists_every_file_it_applied()
        {
            Assert.Equal(All.Count, Property(start.Worker, DevLauncherProperties.AppliedByRun));
            Assert.Equal(string.Join(", ", All), Property(start.Worker, DevLauncherProperties.AppliedFiles));
        }

        [Fact]
        public async Task The_runs_total_is_the_history_tables_row_count()
        {
            var rows = await Sql.ScalarAsync<long>(start.Owner, $"SELECT count(*) FROM {SchemaHistory.Table}", TestContext.Current.CancellationToken);

            Assert.Equal((long)All.Count, rows);
            Assert.Equal(rows, Property(start.Worker, DevLauncherProperties.AppliedTotal));
        }

        [Fact]
        public void The_run_leaves_nothing_pending() =>
            Assert.Equal("none", Property(start.Worker, DevLauncherProperties.Pending));

        [Fact]
        public void The_run_shows_how_long_it_waited_for_the_lock() =>
            Assert.Matches(@"^\d+ ms$|^\d+\.\d s$", (string?)Property(start.Worker, DevLauncherProperties.LockWait));

        [Fact]
        public void A_successful_run_shows_no_failure()
        {
            Assert.Null(Property(start.Worker, DevLauncherProperties.Failure));
            Assert.Null(Property(start.Worker, DevLauncherProperties.ExitCode));
        }

        [Fact]
        public async Task A_healthy_service_shows_the_gates_words() =>
            await WaitForHealthAsync(start.App, ResourceNames.Backend, HealthStatus.Healthy,
                SchemaGateReason.Versions(6, long.Parse(Version, CultureInfo.InvariantCulture)), TestContext.Current.CancellationToken);

        /// <summary>The app started on a database of its own, once the worker's first run is on the dashboard.</summary>
        public sealed class FreshStart : AppScenario
        {
            public CustomResourceSnapshot Worker { get; private set; } = null!;

            public string Owner { get; private set; } = null!;

            protected override async Task RunAsync(CancellationToken cancellationToken)
            {
                await Own(await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken)).StartAsync(cancellationToken);
                Worker = await WaitForRunAsync(App, 1, cancellationToken);
                Owner = (await AppEndpoints.OfAsync(App, cancellationToken)).Database;
            }
        }
    }

    /// <summary>A start whose second migration fails.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class AfterAFailedMigration(AfterAFailedMigration.BrokenStart start) : IClassFixture<AfterAFailedMigration.BrokenStart>
    {
        [Fact]
        public void The_run_ends_in_Aspires_own_state_with_the_workers_exit_code_4()
        {
            Assert.Contains(start.Worker.State?.Text, KnownResourceStates.TerminalStates);
            Assert.Equal(4, start.Worker.ExitCode);
        }

        [Fact]
        public void The_runs_outcome_says_where_the_migration_failed() =>
            Assert.Equal("0002_broken.sql, 42P01, line 3", Property(start.Worker, DevLauncherProperties.Outcome));

        [Fact]
        public void The_run_shows_the_workers_own_reason() =>
            Assert.StartsWith("Migration 0002_broken.sql failed and was rolled back: SQLSTATE 42P01: relation \"app.missing\" does not exist (line 3,",
                (string?)Property(start.Worker, DevLauncherProperties.Failure), StringComparison.Ordinal);

        [Fact]
        public void The_run_shows_what_its_exit_code_means() =>
            Assert.Equal("4: a migration failed and was rolled back", Property(start.Worker, DevLauncherProperties.ExitCode));

        [Fact]
        public void The_run_shows_the_version_the_files_before_the_failure_reached()
        {
            Assert.Equal("0001", Property(start.Worker, DevLauncherProperties.SchemaVersion));
            Assert.Equal((1, 1L), (Property(start.Worker, DevLauncherProperties.AppliedByRun), Property(start.Worker, DevLauncherProperties.AppliedTotal)));
        }

        [Fact]
        public void The_run_shows_the_failed_file_as_pending() =>
            Assert.Equal("0002_broken.sql", Property(start.Worker, DevLauncherProperties.Pending));

        [Fact]
        public async Task No_service_starts_after_a_failed_run()
        {
            foreach (var service in AppResources.Services)
            {
                await AppResources.WaitForStateAsync(start.App, service, s => s == KnownResourceStates.FailedToStart, TestContext.Current.CancellationToken);
            }
        }

        /// <summary>The app on the first migration and a second that refers to a table nobody made, at line 3.</summary>
        public sealed class BrokenStart : AppScenario
        {
            public CustomResourceSnapshot Worker { get; private set; } = null!;

            protected override async Task RunAsync(CancellationToken cancellationToken)
            {
                var migrations = Own(ScratchMigrations.CopyOfScripts(count: 1)
                    .Write("0002_broken.sql", "CREATE TABLE app.partial (id int);\n\nINSERT INTO app.missing VALUES (1);\n"));
                await Own(await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken, extra: [migrations.Argument])).StartAsync(cancellationToken);
                Worker = await WaitForRunAsync(App, 1, cancellationToken);
            }
        }
    }
}
