using DevLauncher.Contracts;
using DevLauncher.Hosting.Migrations;
using DevLauncher.Migrations.Engine;
using DevLauncher.SchemaLoop;

namespace DevLauncher.AppHost.Tests;

/// <summary>What the commands answer: Apply's result from the run's properties, Check's plan, Undo's description.</summary>
public sealed partial class DashboardModelTests
{
    [Fact]
    public void Apply_migrations_answers_with_the_files_a_run_applied() =>
        Assert.Equal(("At 0008: applied 0008_app_notes.sql.", true), Answer(Report(MigrationOutcome.Applied, applied: ["0008_app_notes.sql"]), 0, new("0008", 8)));

    [Fact]
    public void Apply_migrations_answers_that_a_run_with_nothing_to_apply_is_up_to_date() =>
        Assert.Equal(("At 0007, up to date.", true), Answer(Report(MigrationOutcome.UpToDate), 0, AtSeven));

    [Fact]
    public void Apply_migrations_answers_a_failed_run_with_the_workers_reason() =>
        Assert.Equal(("Migration drift in 0003_c.sql failed: the worker's words", false), Answer(Failed(MigrationOutcome.ValidationFailed, "drift in 0003_c.sql"), 5, AtSeven));

    [Fact]
    public void Apply_migrations_answers_a_worker_that_never_started_with_where_to_look()
    {
        var result = WorkerState.Result(new CustomResourceSnapshot { ResourceType = "Project", Properties = [], State = KnownResourceStates.FailedToStart });

        Assert.Equal(("The worker failed to start: its console log says why.", false), (result.Message, result.Success));
    }

    [Fact]
    public void A_plan_lists_the_pending_files()
    {
        var plan = MigrationPlanText.Of(Plan() with { PendingFiles = ["0008_a.sql", "0009_b.sql"] });

        const string Summary = "Database at 0006; 2 pending: 0008_a.sql, 0009_b.sql. Preview migrations shows what they will lock, rewrite and lose on a copy of this data.";
        Assert.Equal(Summary, plan.Summary);
        Assert.Equal([Summary, "", "pending: 0008_a.sql", "pending: 0009_b.sql"], plan.Details.Split(Environment.NewLine));
    }

    [Fact]
    public void A_plan_with_nothing_pending_says_so() =>
        Assert.Equal("Database at 0006; nothing pending.", MigrationPlanText.Of(Plan()).Summary);

    [Fact]
    public void A_plan_that_finds_drift_says_the_run_would_stop()
    {
        var drift = MigrationPlanText.Of(new MigrationRunResult(MigrationOutcome.ValidationFailed, [])
        {
            SchemaVersion = "0006",
            Problems = [new(MigrationProblemKind.Drift, "0003_c.sql", "Drift: 0003_c.sql was changed after it was applied.")],
            Failure = new("drift in 0003_c.sql", "Nothing was applied. Drift: 0003_c.sql was changed after it was applied."),
        });

        Assert.Equal("Database at 0006; the plan stops: drift in 0003_c.sql. Apply migrations would apply nothing.", drift.Summary);
        Assert.EndsWith("Drift: 0003_c.sql was changed after it was applied.", drift.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Undo_last_migration_describes_the_run_it_would_take_back()
    {
        var undo = UndoCommand.Describe(UndoSnapshot(), new UndoStatus(["0008_a.sql"], "0007", null));

        Assert.Equal("Take back 0008_a.sql: the database returns to its state before that run (schema version 0007).", undo.DisplayDescription);
        Assert.StartsWith("Undo 0008_a.sql? The database returns to its state before the run that applied it (schema version 0007)", undo.ConfirmationMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Undo_last_migration_says_why_it_cannot_run()
    {
        var undo = UndoCommand.Describe(UndoSnapshot(), UndoStatus.Unavailable("No snapshot of appdb_main."));

        Assert.Equal(("No snapshot of appdb_main.", "Undo the last run's migrations?"), (undo.DisplayDescription, undo.ConfirmationMessage));
    }

    [Fact]
    public void The_workers_Undo_property_names_what_Undo_would_take_back() =>
        Assert.Equal("takes back 0008_a.sql, 0009_b.sql (back to 0007)", MigrationProperties.Undo(new UndoStatus(["0008_a.sql", "0009_b.sql"], "0007", null)).Value);

    private static (string? Message, bool Success) Answer(MigrationReport report, int exitCode, SchemaHistoryState history)
    {
        var properties = new MigrationProperties(1, exitCode, report, history).ApplyTo([]);
        var result = WorkerState.Result(new CustomResourceSnapshot { ResourceType = "Project", Properties = properties, State = KnownResourceStates.Finished, ExitCode = exitCode });
        return (result.Message, result.Success);
    }

    private static MigrationRunResult Plan() => new(MigrationOutcome.Planned, []) { SchemaVersion = "0006" };

    private static ResourceCommandSnapshot UndoSnapshot() =>
        new(DevLauncherCommands.UndoMigration, ResourceCommandState.Disabled, "Undo last migration", "before", null, "Undo the last run's migrations?", "ArrowUndo", null, false);
}
