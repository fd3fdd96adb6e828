using Microsoft.Extensions.DependencyInjection;

namespace DevLauncher.AppHost.Migrations;

/// <summary>Runs one replica of the worker again and waits until its run shows on the dashboard.</summary>
public static class WorkerRun
{
    public static async Task<ExecuteCommandResult> StartAndWaitAsync(ExecuteCommandContext context)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        if (!notifications.TryGetCurrentState(context.ResourceName, out var current))
        {
            return CommandResults.Failure($"There is no resource '{context.ResourceName}'.");
        }

        if (!IsIdle(current.Snapshot))
        {
            return CommandResults.Failure($"The worker is {current.Snapshot.State?.Text ?? "starting"}: wait for its run to end.");
        }

        var (id, before) = (current.ResourceId, RunOf(current.Snapshot));
        var lifecycle = new ResourceLifecycle(context.Services.GetRequiredService<ResourceCommandService>(), notifications);
        var started = await lifecycle.StartAsync(id, context.CancellationToken);
        if (!started.Success)
        {
            return started;
        }

        var ended = await notifications.WaitForResourceAsync(current.Resource.Name,
            e => e.ResourceId == id && (RunOf(e.Snapshot) > before || e.Snapshot.State?.Text == KnownResourceStates.FailedToStart),
            context.CancellationToken);
        return Result(ended.Snapshot);
    }

    /// <summary>Not starting, running or stopping: the orchestrator's terminal states, or a run's state text.</summary>
    public static bool IsIdle(CustomResourceSnapshot snapshot) =>
        RunStateLifecycleCommands.OrchestratorState(snapshot.State?.Text) is { } state
        && (KnownResourceStates.TerminalStates.Contains(state) || state == KnownResourceStates.NotStarted);

    /// <summary>The number of the last run the dashboard shows for this replica; 0 before the first.</summary>
    public static int RunOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == MigrationRunView.RunProperty)?.Value is int run ? run : 0;

    private static ExecuteCommandResult Result(CustomResourceSnapshot snapshot)
    {
        var state = snapshot.State?.Text ?? "";
        if (state.StartsWith(MigrationRunView.FinishedPrefix, StringComparison.Ordinal))
        {
            return CommandResults.Success(state);
        }

        var reason = snapshot.Properties.FirstOrDefault(p => p.Name == MigrationRunView.FailureProperty)?.Value;
        return CommandResults.Failure(reason is null ? state : $"{state}. {reason}");
    }
}
