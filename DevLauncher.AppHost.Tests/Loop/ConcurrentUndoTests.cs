using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>Undo last migration pressed twice at the same moment (the dashboard and a terminal, or two terminals).</summary>
[Collection(OneLoopAppAtATime.Name)]
public sealed class ConcurrentUndoTests
{
    /// <summary>The two presses interleave differently each time: a few rounds, each of which must keep the database.</summary>
    private const int Rounds = 4;

    [Fact]
    public async Task Undo_pressed_twice_at_once_takes_the_run_back_once_and_keeps_the_database()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartOnScratchWithoutServicesAsync(cancellationToken);
        var before = await PgDumps.EverythingAsync(loop.Owner, cancellationToken);
        loop.Migrations.Write("0008_app_notes.sql", "CREATE TABLE app.notes (id int PRIMARY KEY);\n");
        for (var round = 1; round <= Rounds; round++)
        {
            var applied = await ExecuteAsync(loop.App, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);
            Assert.True(applied.Success, $"Round {round}: {applied.Message}");

            var results = await Task.WhenAll(UndoAsync(loop, cancellationToken), UndoAsync(loop, cancellationToken));

            Assert.True(results.Count(r => r.StartsWith("True: ", StringComparison.Ordinal)) == 1, $"Round {round}: {string.Join(" | ", results)}");
            Assert.Equal(before, await PgDumps.EverythingAsync(loop.Owner, cancellationToken));
        }
    }

    /// <summary>The command's result as "success: message", or the exception it threw, so that both presses are seen.</summary>
    private static async Task<string> UndoAsync(LoopApp loop, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ExecuteAsync(loop.App, ResourceNames.Migrations, DevLauncherCommands.UndoMigration, cancellationToken);
            return $"{result.Success}: {result.Message}";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"threw {ex.GetType().Name}: {ex.Message}";
        }
    }
}
