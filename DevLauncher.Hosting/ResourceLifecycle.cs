namespace DevLauncher.Hosting;

/// <summary>
/// Stops and starts a resource through its own commands, and waits for the outcome as long as a busy machine needs: the
/// orchestrator gives up watching a stop, or the removal of the last run's process before a start, after about 15
/// seconds, while the process is still on its way down.
/// </summary>
internal sealed class ResourceLifecycle(ResourceCommandService commands, ResourceNotificationService notifications)
{
    /// <summary>
    /// What the orchestrator reports for a process it stopped without seeing it exit; its own Start treats it as
    /// stopped, and so does this. Stopping a service here leaves it in this state, not Exited.
    /// </summary>
    private const string UnknownState = "Unknown";

    private const int StartAttempts = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>Stops a resource that runs; one that waits or has stopped has no process to stop.</summary>
    /// <param name="resourceId">The resource's id, or its name when it has one replica.</param>
    public async Task StopAsync(string resourceId, CancellationToken cancellationToken)
    {
        if (!notifications.TryGetCurrentState(resourceId, out var current) || !IsActive(current.Snapshot.State?.Text))
        {
            return;
        }

        var stop = await commands.ExecuteCommandAsync(current.ResourceId, KnownResourceCommands.StopCommand, cancellationToken);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        try
        {
            await notifications.WaitForResourceAsync(current.Resource.Name,
                e => e.ResourceId == current.ResourceId && IsStopped(e.Snapshot.State?.Text), patience.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{resourceId} did not stop within {Patience}: {stop.Message}");
        }
    }

    /// <summary>Starts it, again if the orchestrator gave up on removing the last run's process in time.</summary>
    /// <returns>The last attempt's result.</returns>
    public async Task<ExecuteCommandResult> StartAsync(string resourceId, CancellationToken cancellationToken)
    {
        var start = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, cancellationToken);
        for (var attempt = 1; attempt < StartAttempts && !start.Success; attempt++)
        {
            start = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, cancellationToken);
        }

        return start;
    }

    private static bool IsStopped(string? state) => KnownResourceStates.TerminalStates.Contains(state) || state == UnknownState;

    private static bool IsActive(string? state) =>
        state is not null && state != KnownResourceStates.Waiting && state != KnownResourceStates.NotStarted && !IsStopped(state);
}
