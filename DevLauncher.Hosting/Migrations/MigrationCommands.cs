using DevLauncher.Hosting.Database;
using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DevLauncher.Hosting.Migrations;

/// <summary>The migration worker's runs and commands on the dashboard: Apply migrations, Check migrations, Undo last migration.</summary>
internal static class MigrationCommands
{

    /// <summary>Also the tooltip (and accessible name) of the command's button on the worker's row.</summary>
    public const string ApplyDescription = "Run the migration worker again: apply the migration files added since its last run. Nothing else restarts.";

    /// <summary>How long Check waits for the migration lock: a worker that holds it is running, and Check says so.</summary>
    private static readonly TimeSpan CheckLockTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Each run's report and the history table become the worker's properties when a replica stops (<see cref="MigrationRuns"/>);
    /// before a run that a command started, the database is copied for Undo when the run has something to apply.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMigrationRuns(this IResourceBuilder<ProjectResource> worker, AppDatabaseAnnotation database, MigrationRuns runs)
    {
        return worker
            .WithEnvironment(context =>
            {
                if (context.ExecutionContext.IsRunMode)
                {
                    Directory.CreateDirectory(runs.ReportDirectory);
                    context.EnvironmentVariables[WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.ReportDirectoryKey)] = runs.ReportDirectory;
                }
            })
            .OnBeforeResourceStarted((_, _, ct) => database.Loop?.BeforeRunAsync(ct) ?? Task.CompletedTask)
            .OnResourceStopped(runs.OnStoppedAsync);
    }

    /// <summary>
    /// "Apply migrations": runs the worker again, e.g. after a developer added a file. The worker reads the files from
    /// their folder, so nothing is rebuilt; running services are left alone, and their schema gate opens by itself.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithApplyMigrationsCommand(this IResourceBuilder<ProjectResource> worker)
    {
        return worker.WithCommand(DevLauncherCommands.ApplyMigrations, DevLauncherCommands.ApplyMigrationsDisplayName, ApplyAsync, new CommandOptions
        {
            Description = ApplyDescription,
            IconName = "ArrowSync",
            IsHighlighted = true,
            UpdateState = c => WorkerState.IsIdle(c.ResourceSnapshot) ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });
    }

    /// <summary>
    /// "Check migrations": what a run would do, computed by the worker's engine in the AppHost, with the worker's files
    /// and database: the pending files, or the drift, unknown or out-of-order version a run would refuse. Read-only.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCheckMigrationsCommand(this IResourceBuilder<ProjectResource> worker, AppDatabaseAnnotation database)
    {
        return worker.WithCommand(DevLauncherCommands.CheckMigrations, DevLauncherCommands.CheckMigrationsDisplayName, context => CheckAsync(context, database), new CommandOptions
        {
            Description = "Show what Apply migrations would do: the pending files, and any drift, unknown or out-of-order version. Applies nothing.",
            IconName = "DocumentSearch",
        });
    }

    private static Task<ExecuteCommandResult> ApplyAsync(ExecuteCommandContext context) =>
        WorkerState.RunAsync(context.Services, context.ResourceName, context.CancellationToken);

    private static async Task<ExecuteCommandResult> CheckAsync(ExecuteCommandContext context, AppDatabaseAnnotation database)
    {
        var options = new MigrationOptions
        {
            ConnectionString = await database.Owner.ConnectionStringExpression.GetValueAsync(context.CancellationToken),
            Directory = database.RequiredFiles.MigrationsDirectory,
            PlanOnly = true,
            LockTimeout = CheckLockTimeout,
        };
        var worker = context.Services.GetRequiredService<ResourceNotificationService>().TryGetCurrentState(context.ResourceName, out var current) ? current.Resource : null;
        using var loggers = worker is null ? LoggerFactory.Create(_ => { }) : ResourceLogging.For(worker, context.Services.GetRequiredService<ResourceLoggerService>());
        var plan = await MigrationEngine.RunAsync(options, loggers, context.Services.GetRequiredService<TimeProvider>(), context.CancellationToken);
        var text = MigrationPlanText.Of(plan);
        return plan.ExitCode == 0 ? CommandResults.Success(text.Summary, text.Details) : CommandResults.Failure(text.Summary, text.Details);
    }
}
