using DevLauncher.Hosting.Terminal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace DevLauncher.Hosting.Postgres;

/// <summary>
/// While the app runs in container mode: when the PostgreSQL container stops being healthy, whether the container
/// engine still answers. An engine that went away (dockerd killed or stopped, Docker Desktop quit) is one line in the
/// terminal naming it and what to do, and one more when it answers again; anything else is the container's own
/// failure, which the terminal's failure lines and the health lines report. Aspire's orchestrator keeps showing the
/// container as running when the engine dies, and a dockerd started again stops it, so the app does not come back by
/// itself: the second line says to run the AppHost again (docs/containers.md).
/// </summary>
internal sealed class ContainerEngineWatch(
    PostgresServerResource server,
    string runtime,
    ResourceNotificationService notifications,
    TerminalOutput terminal,
    TimeProvider timeProvider) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private bool _away;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the app is stopping
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (!_away && (!notifications.TryGetCurrentState(server.Name, out var current) || IsUp(current.Snapshot)))
        {
            return;
        }

        var answers = await ContainerRuntimeCheck.AnswersAsync(runtime, cancellationToken);
        if (answers == _away)
        {
            _away = !answers;
            terminal.WriteLine(answers
                ? $"The container engine ({runtime}) answers again, but it stopped {server.Name}'s container: stop the AppHost (Ctrl-C) and run it again, " +
                  "which starts the same container with its data."
                : $"The container engine ({runtime}) stopped answering: {server.Name} runs in a container of it, so the database is unreachable. " +
                  $"Start the engine again (`bash scripts/container-engine.sh start`, `sudo systemctl start {runtime}`, or Docker Desktop).");
        }
    }

    /// <summary>Healthy, or not started yet or stopping: nothing an engine that went away would cause.</summary>
    private static bool IsUp(CustomResourceSnapshot snapshot)
    {
        var state = snapshot.State?.Text;
        if (state == KnownResourceStates.Running)
        {
            return snapshot.HealthStatus is null or HealthStatus.Healthy;
        }

        string[] down = [KnownResourceStates.RuntimeUnhealthy, KnownResourceStates.Exited, KnownResourceStates.FailedToStart, "Unknown"];
        return !down.Contains(state);
    }
}
