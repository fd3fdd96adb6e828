using Microsoft.Extensions.DependencyInjection;

namespace DevLauncher.Hosting.Migrations;

/// <summary>The worker's state as the commands read it: Aspire's own states, and the run's properties.</summary>
internal static class WorkerState
{
    /// <summary>Not starting, running or stopping: Aspire's terminal states, or not started yet.</summary>
    public static bool IsIdle(CustomResourceSnapshot snapshot) =>
        snapshot.State?.Text is { } state && (KnownResourceStates.TerminalStates.Contains(state) || state == KnownResourceStates.NotStarted);

    /// <summary>Starts the worker again and waits until its run shows on the dashboard; refuses while it runs.</summary>
    public static async Task<ExecuteCommandResult> RunAsync(IServiceProvider services, string worker, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        if (!notifications.TryGetCurrentState(worker, out var current) || !IsIdle(current.Snapshot))
        {
            return CommandResults.Failure($"The worker is {current?.Snapshot.State?.Text ?? "starting"}: wait for its run to end.");
        }

        var before = MigrationProperties.RunOf(current.Snapshot);
        var started = await new ResourceLifecycle(services.GetRequiredService<ResourceCommandService>(), notifications).StartAsync(current.ResourceId, cancellationToken);
        if (!started.Success)
        {
            return started;
        }

        var ended = await notifications.WaitForResourceAsync(current.Resource.Name,
            e => e.ResourceId == current.ResourceId && (MigrationProperties.RunOf(e.Snapshot) > before || e.Snapshot.State?.Text == KnownResourceStates.FailedToStart),
            cancellationToken);
        return Result(ended.Snapshot);
    }

    /// <summary>A finished run as a command's result: its summary, and on failure the worker's own reason.</summary>
    public static ExecuteCommandResult Result(CustomResourceSnapshot snapshot)
    {
        if (snapshot.State?.Text == KnownResourceStates.FailedToStart)
        {
            return CommandResults.Failure("The worker failed to start: its console log says why.");
        }

        var version = Property(snapshot, DevLauncherProperties.SchemaVersion);
        if (snapshot.ExitCode == 0)
        {
            var applied = Property(snapshot, DevLauncherProperties.AppliedFiles);
            return CommandText.Success(applied is null or "none" ? $"At {version}, up to date." : $"At {version}: applied {applied}.");
        }

        return CommandResults.Failure(Property(snapshot, DevLauncherProperties.Failure) ?? $"The worker exited with code {snapshot.ExitCode}.");
    }

    private static string? Property(CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();
}
