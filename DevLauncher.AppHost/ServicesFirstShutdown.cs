using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevLauncher.AppHost;

/// <summary>
/// When the app stops (Ctrl-C, closing F5, disposing a test's app), the orchestrator stops every resource at once:
/// PostgreSQL and the dashboard, quick to stop, go first, and the services then spend their shutdown on a database and
/// a telemetry endpoint that no longer answer. This stops the services first, while both still run, before the
/// orchestrator stops the rest.
/// </summary>
internal sealed class ServicesFirstShutdown(
    IReadOnlyList<IResource> services, ResourceCommandService commands, ResourceNotificationService notifications, ILogger<ServicesFirstShutdown> logger)
    : IHostedLifecycleService
{
    /// <summary>Runs before any hosted service's StopAsync, the orchestrator's among them.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var lifecycle = new ResourceLifecycle(commands, notifications);
        try
        {
            await Task.WhenAll(services.Select(s => lifecycle.StopAsync(s.Name, cancellationToken)));
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

internal static class ServicesFirstShutdownExtensions
{
    /// <summary>Stops these resources first when the app stops, and waits until they have (see <see cref="ServicesFirstShutdown"/>).</summary>
    public static IDistributedApplicationBuilder StopFirst(this IDistributedApplicationBuilder builder, params IResourceBuilder<IResource>[] services)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            IReadOnlyList<IResource> resources = [.. services.Select(s => s.Resource)];
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ServicesFirstShutdown>(sp, resources));
        }

        return builder;
    }
}
