using DevLauncher.Hosting.Database;
using DevLauncher.SchemaLoop;
using Microsoft.Extensions.DependencyInjection;

namespace DevLauncher.Hosting.Migrations;

/// <summary>
/// "Undo last migration" on the worker: the database goes back to its state before the last run that applied
/// migrations (schema, rows and history, from the copy taken before that run), so the developer can edit the file and
/// press Apply migrations again. Disabled where there is no copy; its tooltip then says why.
/// </summary>
internal static class UndoCommand
{

    public const string ExistingServer =
        "Not on an existing server: the AppHost may not copy its databases, so it keeps no state to go back to.";

    private const string NoRunYet = "Takes back the last run that applied migrations. No run has applied any since the AppHost started.";

    public static IResourceBuilder<ProjectResource> WithUndoMigrationCommand(this IResourceBuilder<ProjectResource> worker, AppDatabaseAnnotation database, MigrationRuns runs)
    {
        return worker.WithCommand(DevLauncherCommands.UndoMigration, DevLauncherCommands.UndoMigrationDisplayName, context => UndoAsync(context, database, runs), new CommandOptions
        {
            Description = database.HasLoop ? NoRunYet : ExistingServer,
            ConfirmationMessage = "Undo the last run's migrations?",
            IconName = "ArrowUndo",
            UpdateState = c => WorkerState.IsIdle(c.ResourceSnapshot) && runs.CanUndo
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
        });
    }

    /// <summary>The command as the dashboard shows it now: what it would take back, or why it cannot.</summary>
    public static ResourceCommandSnapshot Describe(ResourceCommandSnapshot command, UndoStatus status) => status.Available
        ? command with
        {
            DisplayDescription = $"Take back {string.Join(", ", status.Files)}: the database returns to its state before that run (schema version {status.Version}).",
            ConfirmationMessage = $"Undo {string.Join(", ", status.Files)}? The database returns to its state before the run that applied " +
                $"{(status.Files.Count == 1 ? "it" : "them")} (schema version {status.Version}): every row written since is lost. Then edit the file and press Apply migrations.",
        }
        : command with { DisplayDescription = status.Reason };

    private static async Task<ExecuteCommandResult> UndoAsync(ExecuteCommandContext context, AppDatabaseAnnotation database, MigrationRuns runs)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        if (database.Loop is not { } loop || !notifications.TryGetCurrentState(context.ResourceName, out var worker))
        {
            return CommandResults.Failure(ExistingServer);
        }

        if (!WorkerState.IsIdle(worker.Snapshot))
        {
            return CommandResults.Failure("The worker is running: undo when its run is over.");
        }

        try
        {
            var undone = await loop.UndoAsync(context.CancellationToken);
            await runs.PublishDatabaseChangedAsync(worker.Resource, undone.Files, UndoStatus.AfterUndo(undone.Files), context.Services, context.CancellationToken);
            return CommandText.Success($"Took back {string.Join(", ", undone.Files)}: {loop.DatabaseName} is at {undone.Version} again.");
        }
        catch (Exception ex) when (ex is DatabaseBusyException or Npgsql.NpgsqlException)
        {
            return CommandResults.Failure(ex.Message);
        }
    }
}
