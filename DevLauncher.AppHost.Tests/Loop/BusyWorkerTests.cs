using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>The schema loop's commands pressed while the worker is in the middle of a slow migration.</summary>
[Collection(OneLoopAppAtATime.Name)]
public sealed class BusyWorkerTests
{
    private const string Slow = "0008_slow.sql";

    [Theory]
    [InlineData(ResourceNames.Migrations, DevLauncherCommands.UndoMigration, "The worker is running: undo when its run is over.")]
    [InlineData(ResourceNames.Database, DevLauncherCommands.ResetDatabase, "The migration worker is running: reset the database when its run is over.")]
    public async Task A_command_pressed_while_the_worker_runs_refuses_with_the_reason(string resource, string command, string reason)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartOnScratchWithoutServicesAsync(cancellationToken);
        var app = loop.App;
        loop.Migrations.Write(Slow, "SELECT pg_sleep(5);\nCREATE TABLE app.slow (id int);\n");
        var apply = ExecuteAsync(app, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);
        await WaitForSleepAsync(await LoopApps.ServerAsync(app, cancellationToken), cancellationToken);

        var refused = await ExecuteAsync(app, resource, command, cancellationToken);

        Assert.Equal((false, reason), (refused.Success, refused.Message));
        var applied = await apply;
        Assert.True(applied.Success, applied.Message);
        Assert.True(await Sql.ScalarAsync<bool>(loop.Owner, "SELECT to_regclass('app.slow') IS NOT NULL", cancellationToken), "The slow run's table is gone");
    }

    /// <summary>
    /// Until the worker's session is inside the migration's pg_sleep, as the server's activity shows it: asked on the
    /// maintenance database, since the database itself refuses connections while the run's Undo snapshot is taken.
    /// </summary>
    private static async Task WaitForSleepAsync(string server, CancellationToken cancellationToken)
    {
        const string sleeping = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(5)%'";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(AppResources.WaitTimeout);
        while (await Sql.ScalarAsync<long>(server, sleeping, deadline.Token) == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }
}
