using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>
/// The loop a developer writing a migration goes round: Apply a new 0008, Undo it, edit it, Apply it again, with the
/// commands executed as the dashboard executes them.
/// </summary>
[Collection(OneLoopAppAtATime.Name)]
public sealed class UndoEditApplyTests
{
    private const string Notes = "0008_app_notes.sql";
    private const string FirstDraft = "CREATE TABLE app.notes (id int PRIMARY KEY, body text NOT NULL);\nINSERT INTO app.notes VALUES (1, 'first draft');\n";
    private const string Edited =
        "CREATE TABLE app.notes (id int PRIMARY KEY, body text NOT NULL, pinned boolean NOT NULL DEFAULT false);\nINSERT INTO app.notes VALUES (1, 'edited', true);\n";

    /// <summary>The history's rows, every column, applied_at and applied_by included.</summary>
    private const string HistoryRows = "SELECT coalesce(string_agg(h::text, E'\\n' ORDER BY version), '') FROM devlauncher.schema_history h";

    [Fact]
    public async Task Undo_after_a_new_migration_restores_the_dump_from_before_it_history_included()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartOnScratchWithoutServicesAsync(cancellationToken);
        var before = await PgDumps.EverythingAsync(loop.Owner, cancellationToken);
        await ApplyFirstDraftAsync(loop, cancellationToken);

        var undo = await ExecuteAsync(loop.App, ResourceNames.Migrations, DevLauncherCommands.UndoMigration, cancellationToken);

        Assert.True(undo.Success, undo.Message);
        Assert.Equal(before, await PgDumps.EverythingAsync(loop.Owner, cancellationToken));
    }

    [Fact]
    public async Task Once_Undo_answers_the_worker_shows_the_database_it_left_and_that_Undo_is_one_level()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartOnScratchWithoutServicesAsync(cancellationToken);
        await ApplyFirstDraftAsync(loop, cancellationToken);

        var undo = await ExecuteAsync(loop.App, ResourceNames.Migrations, DevLauncherCommands.UndoMigration, cancellationToken);

        Assert.True(undo.Success, undo.Message);
        var worker = Current(loop.App, ResourceNames.Migrations);
        const string oneLevel = $"Undo is one level: it took back {Notes} already. The next run that applies migrations can be undone.";
        Assert.Equal(("0007", 7L, Notes, oneLevel), (Property(worker, DevLauncherProperties.SchemaVersion), Property(worker, DevLauncherProperties.AppliedTotal),
            Property(worker, DevLauncherProperties.Pending), Property(worker, DevLauncherProperties.Undo)));
        var command = worker.Commands.Single(c => c.Name == DevLauncherCommands.UndoMigration);
        Assert.Equal((ResourceCommandState.Disabled, oneLevel), (command.State, command.DisplayDescription));
    }

    [Fact]
    public async Task A_migration_edited_after_its_undo_is_applied_once_in_its_edited_form()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartOnScratchWithoutServicesAsync(cancellationToken);
        var owner = loop.Owner;
        var (history, rest) = (await Sql.ScalarAsync<string>(owner, HistoryRows, cancellationToken), await RestAsync(owner, cancellationToken));
        await ApplyFirstDraftAsync(loop, cancellationToken);
        var undo = await ExecuteAsync(loop.App, ResourceNames.Migrations, DevLauncherCommands.UndoMigration, cancellationToken);
        Assert.True(undo.Success, undo.Message);
        loop.Migrations.Write(Notes, Edited);

        var applied = await ExecuteAsync(loop.App, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);

        Assert.True(applied.Success, applied.Message);
        var checksum = MigrationFiles.Load(loop.Migrations.Path, null).Migrations.Single(m => m.Version == 8).Checksum;
        Assert.Equal($"8 {Notes} {checksum}", await Sql.ScalarAsync<string>(owner,
            "SELECT string_agg(version || ' ' || script_name || ' ' || checksum, ', ') FROM devlauncher.schema_history WHERE version >= 8", cancellationToken));
        Assert.Equal(history, await Sql.ScalarAsync<string>(owner, HistoryRows + " WHERE version < 8", cancellationToken));
        Assert.Equal("(1,edited,t)", await Sql.ScalarAsync<string>(owner, "SELECT string_agg(n::text, ', ') FROM app.notes n", cancellationToken));
        Assert.Equal(rest, await RestAsync(owner, cancellationToken));
    }

    /// <summary>The developer writes 0008 and presses Apply migrations: it is applied, its table there.</summary>
    private static async Task ApplyFirstDraftAsync(LoopApp loop, CancellationToken cancellationToken)
    {
        loop.Migrations.Write(Notes, FirstDraft);
        var applied = await ExecuteAsync(loop.App, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);
        Assert.True(applied.Success, applied.Message);
        Assert.Equal($"At 0008: applied {Notes}.", applied.Message);
        Assert.Equal("(1,\"first draft\")", await Sql.ScalarAsync<string>(loop.Owner, "SELECT string_agg(n::text, ', ') FROM app.notes n", cancellationToken));
    }

    /// <summary>Everything but what 0008 is about: its table and the history's rows.</summary>
    private static Task<string> RestAsync(string owner, CancellationToken cancellationToken) =>
        PgDumps.EverythingExceptAsync(owner, ["app.notes"], ["devlauncher.schema_history"], cancellationToken);
}
