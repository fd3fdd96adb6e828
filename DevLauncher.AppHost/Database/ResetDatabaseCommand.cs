using DevLauncher.AppHost.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DevLauncher.AppHost.Database;

/// <summary>
/// "Reset database" on <c>appdb</c>: stop the services, empty the database (<see cref="DatabaseWipe"/>), run the
/// migration worker again, and start the services once it has finished with 0. It asks for confirmation first.
/// </summary>
public static class ResetDatabaseCommand
{
    public const string Name = "reset-database";

    public static IResourceBuilder<IResourceWithConnectionString> WithResetDatabaseCommand(this IResourceBuilder<IResourceWithConnectionString> database,
        IResourceBuilder<ProjectResource> worker, params IResourceBuilder<ProjectResource>[] services)
    {
        var wipe = DatabaseWipe.For(database.Resource);
        var reset = new DatabaseReset(wipe, worker.Resource, [.. services.Select(s => s.Resource)]);
        return database.WithCommand(Name, "Reset database", reset.ExecuteAsync, new CommandOptions
        {
            Description = "Start again from an empty database: drop it, migrate it from scratch and restart the services.",
            ConfirmationMessage = wipe.Confirmation,
            IconName = "ArrowReset",
            UpdateState = c => c.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });
    }
}

/// <summary>The steps of a reset, in order; the first that fails ends it and says where it stopped.</summary>
public sealed class DatabaseReset(DatabaseWipe wipe, ProjectResource worker, IReadOnlyList<ProjectResource> services)
{
    public async Task<ExecuteCommandResult> ExecuteAsync(ExecuteCommandContext context)
    {
        var commands = context.Services.GetRequiredService<ResourceCommandService>();
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        if (notifications.TryGetCurrentState(worker.Name, out var current) && !WorkerRun.IsIdle(current.Snapshot))
        {
            return CommandResults.Failure("The migration worker is running: reset the database when its run is over.");
        }

        var lifecycle = new ResourceLifecycle(commands, notifications);
        await Task.WhenAll(services.Select(s => lifecycle.StopAsync(s.Name, context.CancellationToken)));
        var (wiped, error) = await WipeAsync(lifecycle, context.CancellationToken);
        if (error is not null)
        {
            return CommandResults.Failure($"Nothing was reset: {error}");
        }

        var run = await commands.ExecuteCommandAsync(worker, MigrationCommands.Run, context.CancellationToken);
        if (!run.Success)
        {
            return CommandResults.Failure($"{wiped}, but the migration worker failed, so the services stay stopped: {run.Message}");
        }

        await StartServicesAsync(lifecycle, context.CancellationToken);
        return CommandResults.Success($"{wiped}; {run.Message}; {string.Join(", ", services.Select(s => s.Name))} started again.");
    }

    /// <returns>What was dropped, or why nothing was (the services are then started again).</returns>
    private async Task<(string? Wiped, string? Error)> WipeAsync(ResourceLifecycle lifecycle, CancellationToken cancellationToken)
    {
        try
        {
            return (await wipe.RunAsync(cancellationToken), null);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            await StartServicesAsync(lifecycle, cancellationToken);
            return (null, ex.Message);
        }
    }

    private async Task StartServicesAsync(ResourceLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var starts = await Task.WhenAll(services.Select(s => lifecycle.StartAsync(s.Name, cancellationToken)));
        if (starts.FirstOrDefault(s => !s.Success) is { } failed)
        {
            throw new InvalidOperationException(failed.Message);
        }
    }
}
