using DevLauncher.Hosting.Database;
using DevLauncher.Migrations.Engine;
using DevLauncher.SchemaLoop;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DevLauncher.Hosting.Migrations;

/// <summary>
/// "Preview migrations" on the worker: the pending migrations run on a copy of the branch's database, and the answer
/// says, one line per migration, what each locked, rewrote and lost on the developer's own data (the details become
/// the worker's <c>preview.*</c> properties). A migration that fails on the copy fails the command, so the Aspire CLI
/// exits non-zero. When the Preview found data loss, Apply migrations asks for a confirmation that says so.
/// </summary>
internal static class PreviewCommand
{
    public static IResourceBuilder<ProjectResource> WithPreviewMigrationsCommand(this IResourceBuilder<ProjectResource> worker, AppDatabaseAnnotation database, MigrationRuns runs)
    {
        return worker.WithCommand(DevLauncherCommands.PreviewMigrations, DevLauncherCommands.PreviewMigrationsDisplayName, context => PreviewAsync(context, database, runs), new CommandOptions
        {
            Description = database.HasLoop
                ? "Run the pending migrations on a copy of the database and show what they lock, rewrite and lose. The database is not touched."
                : UndoCommand.ExistingServer,
            IconName = "Eye",
            UpdateState = c => database.HasLoop && WorkerState.IsIdle(c.ResourceSnapshot) ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });
    }

    private static async Task<ExecuteCommandResult> PreviewAsync(ExecuteCommandContext context, AppDatabaseAnnotation database, MigrationRuns runs)
    {
        if (database.Loop is not { } loop)
        {
            return CommandResults.Failure(UndoCommand.ExistingServer);
        }

        MigrationPreview preview;
        try
        {
            preview = await loop.PreviewAsync(context.CancellationToken);
        }
        catch (Exception ex) when (ex is DatabaseBusyException or NpgsqlException or MigrationValidationException or DirectoryNotFoundException)
        {
            return CommandResults.Failure($"No preview: {ex.Message}");
        }

        await runs.PublishPreviewAsync(context.Services.GetRequiredService<ResourceNotificationService>(), preview);
        var message = preview.ToCommandMessage();
        return preview.Failed ? CommandResults.Failure(message) : CommandText.Success(message);
    }
}
