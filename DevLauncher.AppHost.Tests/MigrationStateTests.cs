using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests;

/// <summary>What the dashboard says about a run of the migration worker: its state text and its details panel.</summary>
[Collection(OneAppAtATime.Name)]
public sealed class MigrationStateTests
{
    [Fact]
    public async Task A_fresh_database_shows_the_version_what_the_run_applied_the_total_the_lock_wait_and_the_gates_words()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken);
        var app = await host.StartAsync(cancellationToken);

        var worker = await WaitForRunAsync(app, 1, cancellationToken);

        var all = ScratchMigrations.Scripts;
        var version = all[^1][..4];
        Assert.Equal(new ResourceStateSnapshot($"Finished: at {version}, {all.Count} applied", KnownResourceStateStyles.Success), worker.State);
        Assert.Equal(0, worker.ExitCode);
        Assert.Equal(version, Property(worker, MigrationProperties.SchemaVersionProperty));
        Assert.Equal(all.Count, Property(worker, MigrationProperties.AppliedByRunProperty));
        Assert.Equal(string.Join(", ", all), Property(worker, MigrationProperties.AppliedFilesProperty));
        Assert.Equal((long)all.Count, Property(worker, MigrationProperties.AppliedTotalProperty));
        Assert.Equal("none", Property(worker, MigrationProperties.PendingProperty));
        Assert.Matches(@"^\d+ ms$|^\d+\.\d s$", (string?)Property(worker, MigrationProperties.LockWaitProperty));
        Assert.Null(Property(worker, MigrationProperties.FailureProperty));
        Assert.Null(Property(worker, MigrationProperties.ExitCodeProperty));
        var owner = (await AppEndpoints.OfAsync(app, cancellationToken)).Database;
        Assert.Equal((long)all.Count, await Sql.ScalarAsync<long>(owner, $"SELECT count(*) FROM {SchemaHistory.Table}", cancellationToken));

        // A healthy service shows the gate's words too: what it needs, and what the database has.
        await WaitForHealthAsync(app, ResourceNames.Backend, HealthStatus.Healthy, SchemaGateReason.Versions(6, long.Parse(version, System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
    }

    [Fact]
    public async Task A_failing_migration_shows_its_file_sqlstate_line_reason_and_exit_code_and_no_service_starts()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var migrations = ScratchMigrations.CopyOfScripts(count: 1)
            .Write("0002_broken.sql", "CREATE TABLE app.partial (id int);\n\nINSERT INTO app.missing VALUES (1);\n");
        await using var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken, extra: [migrations.Argument]);
        var app = await host.StartAsync(cancellationToken);

        var worker = await WaitForRunAsync(app, 1, cancellationToken);

        Assert.Equal(new ResourceStateSnapshot("Failed: 0002_broken.sql, 42P01, line 3", KnownResourceStateStyles.Error), worker.State);
        Assert.Equal(4, worker.ExitCode);
        Assert.Equal("4: a migration failed and was rolled back", Property(worker, MigrationProperties.ExitCodeProperty));
        var failure = Assert.IsType<string>(Property(worker, MigrationProperties.FailureProperty));
        Assert.StartsWith("Migration 0002_broken.sql failed and was rolled back: SQLSTATE 42P01: relation \"app.missing\" does not exist (line 3,", failure, StringComparison.Ordinal);
        Assert.Equal("0001", Property(worker, MigrationProperties.SchemaVersionProperty));
        Assert.Equal(1, Property(worker, MigrationProperties.AppliedByRunProperty));
        Assert.Equal(1L, Property(worker, MigrationProperties.AppliedTotalProperty));
        Assert.Equal("0002_broken.sql", Property(worker, MigrationProperties.PendingProperty));

        // The services wait for the worker to finish with 0, so none of them starts.
        foreach (var service in AppResources.Services)
        {
            await AppResources.WaitForStateAsync(app, service, s => s == KnownResourceStates.FailedToStart, cancellationToken);
        }
    }
}
