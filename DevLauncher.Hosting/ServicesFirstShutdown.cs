using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevLauncher.Hosting;

/// <summary>
/// When the app stops (Ctrl-C, closing F5, disposing a test's app), the orchestrator stops every resource at once:
/// PostgreSQL and the dashboard, quick to stop, go first, and the services then spend their shutdown on a database and
/// a telemetry endpoint that no longer answer. This stops the services first, while both still run, before the
/// orchestrator stops the rest.
/// </summary>
/// <remarks>The services are those that reference an app database's services' connection, read from the model.</remarks>
internal sealed class ServicesFirstShutdown(
    DistributedApplicationModel model, ResourceCommandService commands, ResourceNotificationService notifications, ILogger<ServicesFirstShutdown> logger)
    : IHostedLifecycleService
{
    /// <summary>Runs before any hosted service's StopAsync, the orchestrator's among them.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var lifecycle = new ResourceLifecycle(commands, notifications);
        try
        {
            await Task.WhenAll(model.Services().Select(s => lifecycle.StopAsync(s.Name, cancellationToken)));
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or DistributedApplicationException)
        {
            // The orchestrator's own stop still ends them; only the order is lost.
            logger.LogWarning("Could not stop the services before the rest of the app: {Reason}", ex.Message);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
