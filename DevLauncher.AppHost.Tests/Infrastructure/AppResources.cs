using System.Globalization;
using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>Waits on a started app's resources and reads their snapshots.</summary>
public static class AppResources
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(5);
    public static readonly string[] Services = [ResourceNames.Auth, ResourceNames.Backend, ResourceNames.Frontend];

    // The snapshot property DCP fills with an executable's process id (Aspire's KnownProperties is internal).
    private const string ExecutablePid = "executable.pid";

    public static async Task WaitForServicesHealthyAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        foreach (var name in Services)
        {
            await WaitForHealthyAsync(app, name, cancellationToken);
        }
    }

    public static Task<ResourceEvent> WaitForStateAsync(DistributedApplication app, string resourceName, Func<string?, bool> state, CancellationToken cancellationToken) =>
        ExplainTimeoutAsync(app, $"{resourceName}'s state",
            app.ResourceNotifications.WaitForResourceAsync(resourceName, e => state(e.Snapshot.State?.Text), cancellationToken).WaitAsync(WaitTimeout, cancellationToken));

    /// <summary>Waits until the resource's process has exited, whatever state text the resource shows for it.</summary>
    public static Task<ResourceEvent> WaitForExitAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken) =>
        ExplainTimeoutAsync(app, $"{resourceName} to exit",
            app.ResourceNotifications.WaitForResourceAsync(resourceName, e => e.Snapshot.ExitCode is not null, cancellationToken).WaitAsync(WaitTimeout, cancellationToken));

    /// <summary>Every resource's state, health and exit code, and the last lines of each process's output.</summary>
    public static async Task<string> DescribeAsync(DistributedApplication app)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var states = model.Resources.Select(r => app.ResourceNotifications.TryGetCurrentState(r.Name, out var e)
            ? $"{r.Name}: {e.Snapshot.State?.Text} {e.Snapshot.HealthStatus} exit {e.Snapshot.ExitCode}"
            : $"{r.Name}: no state");
        using var quickly = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var logs = await ResourceLogs.AllAsync(app, quickly.Token);
        var tails = logs.GroupBy(l => l.Resource).Select(g => $"{g.Key}:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", g.TakeLast(15).Select(l => l.Line))}");
        return string.Join(Environment.NewLine, states.Concat(tails));
    }

    public static Task<ResourceEvent> WaitForHealthyAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken) =>
        ExplainTimeoutAsync(app, $"{resourceName} healthy",
            app.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cancellationToken).WaitAsync(WaitTimeout, cancellationToken));

    /// <summary>
    /// After a start or restart command: waits until a process other than <paramref name="previousPid"/> runs for the
    /// resource, then until it is healthy. Until the new process shows, the orchestrator may still deliver the last run's
    /// exit (its watch lags the command), and a health wait takes that for a failed start.
    /// </summary>
    public static async Task WaitForNewProcessHealthyAsync(DistributedApplication app, string resourceName, int previousPid, CancellationToken cancellationToken)
    {
        await ExplainTimeoutAsync(app, $"a new {resourceName} process",
            app.ResourceNotifications.WaitForResourceAsync(resourceName,
                    e => (PidOf(e.Snapshot) is { } pid && pid != previousPid) || e.Snapshot.State?.Text == KnownResourceStates.FailedToStart,
                    cancellationToken)
                .WaitAsync(WaitTimeout, cancellationToken));
        await WaitForHealthyAsync(app, resourceName, cancellationToken);
    }

    /// <summary>After something restarted the services: waits until each runs a process other than its old one, healthy.</summary>
    public static async Task WaitForServicesRestartedAsync(DistributedApplication app, IReadOnlyList<int> previousPids, CancellationToken cancellationToken)
    {
        foreach (var (name, pid) in Services.Zip(previousPids))
        {
            await WaitForNewProcessHealthyAsync(app, name, pid, cancellationToken);
        }
    }

    /// <summary>The process of each service, as the dashboard shows it: a restarted service has a new one.</summary>
    public static async Task<int[]> ServicePidsAsync(DistributedApplication app, CancellationToken cancellationToken) =>
        await Task.WhenAll(Services.Select(s => PidOfAsync(app, s, cancellationToken)));

    /// <summary>
    /// A wait that times out, or that stops because the resource failed, says what every resource was doing and what
    /// each process printed, not only that it gave up.
    /// </summary>
    private static async Task<T> ExplainTimeoutAsync<T>(DistributedApplication app, string waitingFor, Task<T> wait)
    {
        try
        {
            return await wait;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Waited {WaitTimeout} for {waitingFor}:{Environment.NewLine}{await DescribeAsync(app)}", ex);
        }
        catch (DistributedApplicationException ex)
        {
            throw new DistributedApplicationException($"Gave up waiting for {waitingFor}: {ex.Message}{Environment.NewLine}{await DescribeAsync(app)}", ex);
        }
    }

    /// <summary>The process DCP started for the resource: the server itself, or <c>dotnet run</c> for a project.</summary>
    public static async Task<int> PidOfAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken)
    {
        var running = await app.ResourceNotifications.WaitForResourceAsync(resourceName, e => PidOf(e.Snapshot) is not null, cancellationToken)
            .WaitAsync(WaitTimeout, cancellationToken);
        return PidOf(running.Snapshot)!.Value;
    }

    /// <summary>The process id in the snapshot; none (DCP shows 0) between a start and the process.</summary>
    private static int? PidOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == ExecutablePid)?.Value is { } value
        && Convert.ToInt32(value, CultureInfo.InvariantCulture) is var pid and not 0
            ? pid
            : null;

    /// <summary>Runs one of the commands the dashboard offers (start, stop, restart) and fails with its message if it fails.</summary>
    public static async Task ExecuteCommandAsync(DistributedApplication app, string resourceName, string command, CancellationToken cancellationToken)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(resourceName, command, cancellationToken).WaitAsync(WaitTimeout, cancellationToken);
        Assert.True(result.Success, $"{command} {resourceName}: {result.Message}");
    }
}
