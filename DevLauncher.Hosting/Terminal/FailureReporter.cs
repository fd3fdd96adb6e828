using System.Collections.Concurrent;
using DevLauncher.Hosting.Database;
using DevLauncher.Hosting.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DevLauncher.Hosting.Terminal;

/// <summary>
/// Says in the terminal, in one line with what to do, when a resource the app needs fails: the server failing to
/// start, a run of the migration worker exiting non-zero (its own reason: file, SQLSTATE and line, or the lock holder), a
/// service crashing or not becoming healthy. A resource left waiting for one that failed shows why on the dashboard
/// (its <see cref="DevLauncherProperties.WaitingFor"/>). Stack traces stay in the resources' logs.
/// </summary>
internal sealed class FailureReporter(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    TerminalOutput terminal,
    FailureReasons reasons,
    WaitingReasons waiting,
    IOptions<FailureReportOptions> options,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime) : BackgroundService, IHostedLifecycleService
{
    private readonly ConcurrentDictionary<string, string> _reported = new();

    // The model does not change once the app runs: what waits for the databases is read once, not at every event.
    private readonly Lazy<HashSet<IResource>> _waitingForDatabases = new(() => [.. model.WaitingFor(model.AppDatabases().Select(d => d.Resource))]);
    private readonly ConcurrentDictionary<string, (long Since, string Reason)> _unhealthy = new();
    private readonly ConcurrentDictionary<string, int> _runs = new();
    private readonly ConcurrentDictionary<string, bool> _workerFailed = new();

    /// <summary>
    /// Watching starts before any hosted service starts: Aspire's orchestrator returns from its own start only once every
    /// resource has been created, and a resource waiting for a server that failed never is, so a reporter started after
    /// it would never report that failure.
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken) => base.StartAsync(cancellationToken);

    public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(WatchAsync(stoppingToken), TickAsync(stoppingToken));

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        await foreach (var e in notifications.WatchAsync(stoppingToken))
        {
            if (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                await OnEventAsync(e, stoppingToken);
            }
        }
    }

    private Task OnEventAsync(ResourceEvent e, CancellationToken cancellationToken)
    {
        if (e.Resource.Annotations.OfType<MigrationWorkerAnnotation>().Any())
        {
            return OnWorkerAsync(e, cancellationToken);
        }

        if (DatabaseOf(e.Resource) is { } database)
        {
            return OnServerAsync(e, database, cancellationToken);
        }

        return _waitingForDatabases.Value.Contains(e.Resource) ? OnServiceAsync(e, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>The app database this resource is, or whose server it is.</summary>
    private IResource? DatabaseOf(IResource resource) =>
        model.AppDatabases().Select(d => d.Resource).FirstOrDefault(d => d == resource || Topology.ServerOf(d) == resource);

    private async Task OnWorkerAsync(ResourceEvent e, CancellationToken cancellationToken)
    {
        _workerFailed[e.ResourceId] = e.Snapshot.ExitCode is { } exited && exited != 0;
        var run = MigrationProperties.RunOf(e.Snapshot);
        if (run <= _runs.GetValueOrDefault(e.ResourceId) || e.Snapshot.ExitCode is not { } exitCode)
        {
            return;
        }

        _runs[e.ResourceId] = run;
        if (exitCode == 0)
        {
            await waiting.ClearAsync(cancellationToken);
            return;
        }

        var failure = Property(e.Snapshot, DevLauncherProperties.Failure) ?? $"exit code {exitCode}";
        var worker = e.Resource.Name;
        terminal.WriteLine($"{worker} failed (exit code {exitCode}): {failure} Fix it, then run {DevLauncherCommands.ApplyMigrationsDisplayName}: on the dashboard " +
            $"({worker}, {DevLauncherCommands.ApplyMigrationsDisplayName}) or with `dotnet aspire resource {worker} {DevLauncherCommands.ApplyMigrations}`; " +
            "the services waiting for it then start by themselves.");
        await waiting.SetAsync(model.WaitingFor(e.Resource).Select(r => r.Name),
            $"{worker}, which failed: {Property(e.Snapshot, DevLauncherProperties.Outcome)}. {DevLauncherCommands.ApplyMigrationsDisplayName} once it is fixed, and this starts by itself.", cancellationToken);
    }

    /// <summary>The server failing to start, or the database failing to be made ready on it: everything else waits for them.</summary>
    private async Task OnServerAsync(ResourceEvent e, IResource database, CancellationToken cancellationToken)
    {
        if (!IsFailure(e.Snapshot) || !FirstTime(e, "failed"))
        {
            return;
        }

        var reason = await reasons.OfAsync(e, cancellationToken);
        var server = Topology.ServerOf(database) ?? database;
        var what = e.Resource == database ? $"{e.Resource.Name} could not be made ready" : $"{e.Resource.Name} failed to start";
        terminal.WriteLine($"{what}: {reason} Fix it, then start {server.Name} again: on the dashboard ({server.Name}, Start) or with " +
            $"`dotnet aspire resource {server.Name} start`; everything waiting for it then starts by itself.");
        await waiting.SetAsync(model.WaitingFor(server, database).Select(r => r.Name), $"{database.Name}: {what}: {reason}", cancellationToken);
    }

    private async Task OnServiceAsync(ResourceEvent e, CancellationToken cancellationToken)
    {
        TrackHealth(e);
        // A service that gave up waiting for a failed worker is not a failure of its own: the worker's line says why. It
        // gives up as soon as the worker exits, before the worker's run (and so the waiting reason) is published.
        var gaveUpWaiting = e.Snapshot.State?.Text == KnownResourceStates.FailedToStart && e.Snapshot.ExitCode is null
            && (waiting.IsWaiting(e.Resource.Name) || _workerFailed.Values.Any(failed => failed));
        if (!IsFailure(e.Snapshot) || gaveUpWaiting || !FirstTime(e, "failed"))
        {
            return;
        }

        var reason = await reasons.OfAsync(e, cancellationToken);
        var what = e.Snapshot.ExitCode is { } code ? $"exited with code {code}" : "failed to start";
        terminal.WriteLine($"{e.Resource.Name} {what}: {reason} Start it again from the dashboard ({e.Resource.Name}, Start) or with " +
            $"`dotnet aspire resource {e.Resource.Name} start`.");
    }

    private void TrackHealth(ResourceEvent e)
    {
        var running = e.Snapshot.State?.Text == KnownResourceStates.Running;
        if (!running || e.Snapshot.HealthStatus == HealthStatus.Healthy)
        {
            _unhealthy.TryRemove(e.ResourceId, out _);
            _reported.TryRemove($"{e.ResourceId}:unhealthy", out _);
            return;
        }

        // A report without a status is a check that has not run yet: it gives no reason, only its name.
        var reason = string.Join("; ", e.Snapshot.HealthReports.Where(r => r.Status is { } status && status != HealthStatus.Healthy)
            .Select(r => r.Description ?? r.Name).Distinct());
        _unhealthy.AddOrUpdate(e.ResourceId, _ => (timeProvider.GetTimestamp(), reason), (_, last) => (last.Since, reason));
    }

    /// <summary>Once a second: the services that have been running but unhealthy for too long, once each, once a check says why.</summary>
    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (resourceId, (since, reason)) in _unhealthy)
            {
                var elapsed = timeProvider.GetElapsedTime(since);
                if (elapsed >= options.Value.UnhealthyAfter && reason.Length > 0 && _reported.TryAdd($"{resourceId}:unhealthy", reason) && !lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    terminal.WriteLine($"{Name(resourceId)} is not healthy after {(int)elapsed.TotalSeconds} s: {reason}. " +
                        "Its console log on the dashboard says more.");
                }
            }
        }
    }

    /// <summary>Whether this start of the resource was already reported; a new start (a new timestamp) may fail anew.</summary>
    private bool FirstTime(ResourceEvent e, string what) =>
        _reported.TryAdd($"{e.ResourceId}:{what}:{e.Snapshot.StartTimeStamp?.Ticks}:{e.Snapshot.State?.Text}", what);

    private static bool IsFailure(CustomResourceSnapshot snapshot) => snapshot.State?.Text == KnownResourceStates.FailedToStart
        || (snapshot.ExitCode is { } code && code != 0 && KnownResourceStates.TerminalStates.Contains(snapshot.State?.Text));

    private static string? Property(CustomResourceSnapshot snapshot, string name) => snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    /// <summary>A replica's id is its resource's name with a suffix; the one-replica services show as their name.</summary>
    private string Name(string resourceId) => notifications.TryGetCurrentState(resourceId, out var e) ? e.Resource.Name : resourceId;
}
