using Aspire.Hosting;
using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests;

/// <summary>"Check migrations" and "Apply migrations" on the worker, executed as the dashboard executes them.</summary>
[Collection(OneAppAtATime.Name)]
public sealed class MigrationCommandTests
{
    private const string Notes = "0008_app_notes.sql";

    [Fact]
    public async Task A_developer_adds_a_migration_checks_it_applies_it_and_the_waiting_service_opens_with_no_restart()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var migrations = ScratchMigrations.CopyOfScripts();
        // The backend of the next release: it needs the migration the developer is about to write.
        await using var host = await StartOnScratchAsync(migrations, ResourceNames.Backend, "SchemaGate__RequiredVersion", "8", cancellationToken);
        var app = host.App!;
        await AppResources.WaitForHealthyAsync(app, ResourceNames.Auth, cancellationToken);
        await AppResources.WaitForHealthyAsync(app, ResourceNames.Frontend, cancellationToken);
        await WaitForHealthAsync(app, ResourceNames.Backend, HealthStatus.Unhealthy, SchemaGateReason.Versions(8, 7), cancellationToken);
        var pids = await AppResources.ServicePidsAsync(app, cancellationToken);
        var owner = (await AppEndpoints.OfAsync(app, cancellationToken)).Database;

        var upToDate = await ExecuteAsync(app, ResourceNames.Migrations, MigrationCommands.Check, cancellationToken);
        migrations.Write(Notes, "CREATE TABLE app.notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);\n");
        var pending = await ExecuteAsync(app, ResourceNames.Migrations, MigrationCommands.Check, cancellationToken);

        Assert.True(upToDate.Success, upToDate.Message);
        Assert.Equal("Database at 0007; nothing pending.", upToDate.Message);
        Assert.True(pending.Success, pending.Message);
        Assert.Equal($"Database at 0007; 1 pending: {Notes}.", pending.Message);
        Assert.Contains($"pending: {Notes}", pending.Data?.Value, StringComparison.Ordinal);
        Assert.False(await Sql.ScalarAsync<bool>(owner, "SELECT to_regclass('app.notes') IS NOT NULL", cancellationToken));
        Assert.Equal(1, MigrationProperties.RunOf(Current(app, ResourceNames.Migrations)));

        var applied = await ExecuteAsync(app, ResourceNames.Migrations, MigrationCommands.Apply, cancellationToken);

        Assert.True(applied.Success, applied.Message);
        Assert.Equal("Finished: at 0008, 1 applied", applied.Message);
        var worker = Current(app, ResourceNames.Migrations);
        Assert.Equal((2, "0008", 1, 8L), (MigrationProperties.RunOf(worker), Property(worker, MigrationProperties.SchemaVersionProperty),
            Property(worker, MigrationProperties.AppliedByRunProperty), Property(worker, MigrationProperties.AppliedTotalProperty)));
        Assert.Equal(Notes, Property(worker, MigrationProperties.AppliedFilesProperty));
        Assert.True(await Sql.ScalarAsync<bool>(owner, "SELECT to_regclass('app.notes') IS NOT NULL", cancellationToken));
        await WaitForHealthAsync(app, ResourceNames.Backend, HealthStatus.Healthy, SchemaGateReason.Versions(8, 8), cancellationToken);
        Assert.Equal(pids, await AppResources.ServicePidsAsync(app, cancellationToken));
    }

    [Fact]
    public async Task Drift_is_found_by_the_check_and_refused_by_apply_and_a_held_lock_is_named_by_its_holder()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var migrations = ScratchMigrations.CopyOfScripts();
        await using var host = await StartOnScratchAsync(migrations, ResourceNames.Migrations, "Migrations__LockTimeout", "00:00:02", cancellationToken);
        var app = host.App!;
        var drifted = ScratchMigrations.Scripts[2];
        var original = await File.ReadAllTextAsync(Path.Combine(migrations.Path, drifted), cancellationToken);
        migrations.Append(drifted, "\n-- edited after it was applied\n");

        var check = await ExecuteAsync(app, ResourceNames.Migrations, MigrationCommands.Check, cancellationToken);
        var apply = await ExecuteAsync(app, ResourceNames.Migrations, MigrationCommands.Apply, cancellationToken);

        Assert.False(check.Success);
        Assert.Equal($"Database at 0007; the plan stops: drift in {drifted}. Apply migrations would apply nothing.", check.Message);
        Assert.Contains($"Drift: {drifted} was changed after it was applied", check.Data?.Value, StringComparison.Ordinal);
        Assert.False(apply.Success);
        Assert.StartsWith($"Failed: drift in {drifted}. Nothing was applied. Drift: {drifted}", apply.Message, StringComparison.Ordinal);
        var worker = Current(app, ResourceNames.Migrations);
        Assert.Equal(new ResourceStateSnapshot($"Failed: drift in {drifted}", KnownResourceStateStyles.Error), worker.State);
        Assert.Equal("5: nothing applied, the files and the history disagree", Property(worker, MigrationProperties.ExitCodeProperty));

        migrations.Write(drifted, original);
        var owner = (await AppEndpoints.OfAsync(app, cancellationToken)).Database;
        await using (var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(owner) { Pooling = false, ApplicationName = "held-by-test" }.ConnectionString))
        {
            await holder.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand($"SELECT pg_backend_pid() FROM (SELECT pg_advisory_lock({MigrationLockKey.Sql})) AS locked", holder);
            var holderPid = (int)(await take.ExecuteScalarAsync(cancellationToken))!;

            var locked = await ExecuteAsync(app, ResourceNames.Migrations, MigrationCommands.Apply, cancellationToken);

            Assert.False(locked.Success);
            worker = Current(app, ResourceNames.Migrations);
            Assert.Equal(new ResourceStateSnapshot($"Failed: lock held by pid {holderPid} (held-by-test)", KnownResourceStateStyles.Error), worker.State);
            Assert.Equal("3: another session held the migration lock too long", Property(worker, MigrationProperties.ExitCodeProperty));
            Assert.Contains($"It is held by pid {holderPid} (application_name 'held-by-test'", (string?)Property(worker, MigrationProperties.FailureProperty), StringComparison.Ordinal);
        }

        var freed = await ExecuteAsync(app, ResourceNames.Migrations, MigrationCommands.Apply, cancellationToken);

        Assert.True(freed.Success, freed.Message);
        Assert.Equal("Finished: at 0007, up to date", freed.Message);
        worker = Current(app, ResourceNames.Migrations);
        Assert.Equal((4, 0, 7L), (MigrationProperties.RunOf(worker), Property(worker, MigrationProperties.AppliedByRunProperty), Property(worker, MigrationProperties.AppliedTotalProperty)));
        Assert.Null(Property(worker, MigrationProperties.FailureProperty));
    }
}
