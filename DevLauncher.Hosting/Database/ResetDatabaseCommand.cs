using DevLauncher.Hosting.Migrations;
using DevLauncher.Migrations.Engine;
using DevLauncher.SchemaLoop;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DevLauncher.Hosting.Database;

/// <summary>
/// "Reset database" on <c>appdb</c>, after a confirmation. On a server the AppHost runs, the database is replaced by a
/// copy of the template for the current files (migrations and seeds, applied once), and the services keep running:
/// their open connections are ended, and their pools reconnect. On an existing server the AppHost may not create
/// databases, so it drops the schemas the owner owns and migrates from scratch, with the services stopped meanwhile.
/// </summary>
internal static class ResetDatabaseCommand
{

    public const string FromTemplateDescription =
        "Start again from a fresh database: a copy of the template (every migration and the seeds, applied once). The services keep running.";

    public const string ExistingServerDescription =
        "Start again from empty schemas and migrate from scratch. Slower than on a server the AppHost runs: on an existing server the AppHost " +
        "may not create databases, so it keeps no template to copy.";

    public static IResourceBuilder<IResourceWithConnectionString> WithResetDatabaseCommand(this IResourceBuilder<IResourceWithConnectionString> appdb,
        AppDatabaseAnnotation database)
    {
        if (database.HasLoop)
        {
            return appdb.WithCommand(DevLauncherCommands.ResetDatabase, DevLauncherCommands.ResetDatabaseDisplayName, context => FromTemplateAsync(context, database),
                Options(FromTemplateDescription, "Replace the database with a fresh copy of its template (every migration and the seeds)? Every row in it is lost. The services keep running."));
        }

        var dropOwnedSchemas = new DropOwnedSchemas(appdb.Resource, database.ExistingName ?? appdb.Resource.Name);
        var reset = new ExistingServerReset(dropOwnedSchemas, database);
        return appdb.WithCommand(DevLauncherCommands.ResetDatabase, DevLauncherCommands.ResetDatabaseDisplayName, reset.ExecuteAsync,
            Options(ExistingServerDescription, dropOwnedSchemas.Confirmation));
    }

    private static CommandOptions Options(string description, string confirmation) => new()
    {
        Description = description,
        ConfirmationMessage = confirmation,
        IconName = "ArrowReset",
        UpdateState = c => c.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
    };

    private static async Task<ExecuteCommandResult> FromTemplateAsync(ExecuteCommandContext context, AppDatabaseAnnotation database)
    {
        var loop = database.RequiredLoop;
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        var worker = database.Worker;
        if (worker is not null && notifications.TryGetCurrentState(worker.Name, out var current) && !WorkerState.IsIdle(current.Snapshot))
        {
            return CommandResults.Failure("The migration worker is running: reset the database when its run is over.");
        }

        try
        {
            var done = await loop.ResetAsync(context.CancellationToken);
            if (worker?.Annotations.OfType<MigrationWorkerAnnotation>().SingleOrDefault() is { } runs)
            {
                await runs.Runs.PublishDatabaseChangedAsync(worker, [], UndoStatus.NoSnapshot(loop.DatabaseName), context.Services, context.CancellationToken);
            }

            return CommandText.Success($"{done}; the services kept running.");
        }
        catch (Exception ex) when (ex is DatabaseBusyException or NpgsqlException or InvalidOperationException or MigrationValidationException or DirectoryNotFoundException)
        {
            return CommandResults.Failure($"Nothing was reset: {ex.Message}");
        }
    }
}

/// <summary>The steps of a reset on an existing server, in order; the first that fails ends it and says where it stopped.</summary>
internal sealed class ExistingServerReset(DropOwnedSchemas dropOwnedSchemas, AppDatabaseAnnotation database)
{
    public async Task<ExecuteCommandResult> ExecuteAsync(ExecuteCommandContext context)
    {
        if (database.Worker is not { } worker)
        {
            return CommandResults.Failure(database.NoWorker);
        }

        var services = context.Services.GetRequiredService<DistributedApplicationModel>().ServicesOf(database);
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        if (notifications.TryGetCurrentState(worker.Name, out var current) && !WorkerState.IsIdle(current.Snapshot))
        {
            return CommandResults.Failure("The migration worker is running: reset the database when its run is over.");
        }

        var lifecycle = new ResourceLifecycle(context.Services.GetRequiredService<ResourceCommandService>(), notifications);
        await Task.WhenAll(services.Select(s => lifecycle.StopAsync(s.Name, context.CancellationToken)));
        var (dropped, error) = await DropOwnedSchemasAsync(lifecycle, services, context.CancellationToken);
        if (error is not null)
        {
            return CommandResults.Failure($"Nothing was reset: {error}");
        }

        var run = await WorkerState.RunAsync(context.Services, worker.Name, context.CancellationToken);
        if (!run.Success)
        {
            return CommandResults.Failure($"{dropped}, but the migration worker failed, so the services stay stopped: {run.Message}");
        }

        await StartServicesAsync(lifecycle, services, context.CancellationToken);
        return CommandText.Success($"{dropped}; {run.Message} {string.Join(", ", services.Select(s => s.Name))} started again.");
    }

    /// <returns>What was dropped, or why nothing was (the services are then started again).</returns>
    private async Task<(string? Dropped, string? Error)> DropOwnedSchemasAsync(ResourceLifecycle lifecycle, IReadOnlyList<IResource> services, CancellationToken cancellationToken)
    {
        try
        {
            return (await dropOwnedSchemas.RunAsync(cancellationToken), null);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            await StartServicesAsync(lifecycle, services, cancellationToken);
            return (null, ex.Message);
        }
    }

    private static async Task StartServicesAsync(ResourceLifecycle lifecycle, IReadOnlyList<IResource> services, CancellationToken cancellationToken)
    {
        var starts = await Task.WhenAll(services.Select(s => lifecycle.StartAsync(s.Name, cancellationToken)));
        if (starts.FirstOrDefault(s => !s.Success) is { } failed)
        {
            throw new InvalidOperationException(failed.Message);
        }
    }
}
