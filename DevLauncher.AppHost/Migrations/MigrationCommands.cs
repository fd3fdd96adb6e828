using DevLauncher.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DevLauncher.AppHost.Migrations;

/// <summary>The migration worker's state and commands on the dashboard.</summary>
public static class MigrationCommands
{
    public const string Apply = "apply-migrations";
    public const string Check = "check-migrations";

    /// <summary>Also the tooltip (and accessible name) of the command's button on the worker's row.</summary>
    public const string ApplyDescription = "Run the migration worker again: apply the migration files added since its last run. Nothing else restarts.";

    /// <summary>The worker again as it is built, with no rebuild: for other commands (Reset database) and scripts, not in the UI.</summary>
    public const string Run = "run-migrations";

    private static readonly string DirectoryVariable = WorkerSettings.EnvironmentVariable(WorkerSettings.DirectoryKey);

    /// <summary>
    /// After each run, the state text says how it ended ("Finished: at 0007, 2 applied", "Failed: 0004_x.sql, 42P01,
    /// line 3") and the details panel has the schema version, what the run applied, the lock wait and on failure the
    /// worker's reason and exit code. The worker writes its report to a file of this start's own (Migrations:ReportFile).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMigrationState(
        this IResourceBuilder<ProjectResource> worker, IResourceBuilder<IResourceWithConnectionString> database)
    {
        worker.ApplicationBuilder.Services.TryAddSingleton<MigrationReports>();
        worker.ApplicationBuilder.Services.TryAddSingleton<MigrationRunPublisher>();
        return worker
            .WithEnvironment(context =>
            {
                if (context.ExecutionContext.IsRunMode)
                {
                    context.EnvironmentVariables[MigrationReports.EnvironmentVariable] =
                        context.ExecutionContext.Services.GetRequiredService<MigrationReports>().ReplicaPathTemplate();
                }
            })
            .OnBeforeResourceStarted((resource, _, _) =>
            {
                RunStateLifecycleCommands.FollowRunStates(resource);
                return Task.CompletedTask;
            })
            .OnResourceStopped((resource, e, cancellationToken) =>
                e.Services.GetRequiredService<MigrationRunPublisher>().PublishAsync(resource, database.Resource, e.ResourceEvent, cancellationToken));
    }

    /// <summary>
    /// "Apply migrations": runs the worker again, e.g. after a developer added a file. Running services are left alone:
    /// their schema gate opens by itself once the schema they need is there. The embedded migrations are built into the
    /// worker, so it is rebuilt first unless it reads a folder (Migrations:Directory).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithApplyMigrationsCommand(this IResourceBuilder<ProjectResource> worker)
    {
        return worker
            .WithCommand(Apply, "Apply migrations", ApplyAsync, new CommandOptions
            {
                Description = ApplyDescription,
                IconName = "ArrowSync",
                IsHighlighted = true,
                UpdateState = c => WorkerRun.IsIdle(c.ResourceSnapshot) ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            })
            .WithCommand(Run, "Run migrations", WorkerRun.StartAndWaitAsync, new CommandOptions
            {
                Description = "Run the migration worker again as it is built.",
                Visibility = ResourceCommandVisibility.Api,
                UpdateState = c => WorkerRun.IsIdle(c.ResourceSnapshot) ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            });
    }

    private static async Task<ExecuteCommandResult> ApplyAsync(ExecuteCommandContext context)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        if (!notifications.TryGetCurrentState(context.ResourceName, out var current) || !WorkerRun.IsIdle(current.Snapshot))
        {
            // A rebuild would stop a run half way.
            return CommandResults.Failure("The worker is running: wait for its run to end.");
        }

        if (!current.Snapshot.EnvironmentVariables.Any(v => v.Name == DirectoryVariable && !string.IsNullOrEmpty(v.Value)))
        {
            var commands = context.Services.GetRequiredService<ResourceCommandService>();
            var rebuilt = await commands.ExecuteCommandAsync(context.ResourceName, KnownResourceCommands.RebuildCommand, context.CancellationToken);
            if (!rebuilt.Success)
            {
                return rebuilt;
            }
        }

        return await WorkerRun.StartAndWaitAsync(context);
    }
}
