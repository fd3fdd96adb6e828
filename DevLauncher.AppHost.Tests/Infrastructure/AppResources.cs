using System.Globalization;
using Aspire.Hosting;
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
            await ExplainTimeoutAsync(app, $"{name} healthy",
                app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken).WaitAsync(WaitTimeout, cancellationToken));
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

    /// <summary>A wait that times out says what every resource was doing, not only that time ran out.</summary>
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
    }

    /// <summary>The process DCP started for the resource: the server itself, or <c>dotnet run</c> for a project.</summary>
    public static async Task<int> PidOfAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken)
    {
        var running = await app.ResourceNotifications.WaitForResourceAsync(
                resourceName, e => e.Snapshot.Properties.Any(p => p.Name == ExecutablePid), cancellationToken)
            .WaitAsync(WaitTimeout, cancellationToken);
        return Convert.ToInt32(running.Snapshot.Properties.Single(p => p.Name == ExecutablePid).Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Runs one of the commands the dashboard offers (start, stop, restart) and fails with its message if it fails.</summary>
    public static async Task ExecuteCommandAsync(DistributedApplication app, string resourceName, string command, CancellationToken cancellationToken)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(resourceName, command, cancellationToken).WaitAsync(WaitTimeout, cancellationToken);
        Assert.True(result.Success, $"{command} {resourceName}: {result.Message}");
    }
}
