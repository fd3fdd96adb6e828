using DevLauncher.Contracts;
using DevLauncher.Hosting.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>What the dashboard shows of the migration worker and the services' health, read from the app's resource model.</summary>
internal static class MigrationsOnDashboard
{
    /// <summary>
    /// The app on a copy of the worker's files, with one setting of one resource changed (a service that needs a newer
    /// schema, a short lock timeout), once the worker's first run is on the dashboard.
    /// </summary>
    public static async Task<TestAppHost> StartOnScratchAsync(ScratchMigrations migrations, string resource, string variable, string value,
        CancellationToken cancellationToken, bool dashboard = false)
    {
        var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken, dashboard: dashboard, extra: [migrations.Argument]);
        try
        {
            host.Builder.CreateResourceBuilder((ProjectResource)host.Resource(resource)).WithEnvironment(variable, value);
            await WaitForRunAsync(await host.StartAsync(cancellationToken), 1, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The worker's snapshot once its run number <paramref name="run"/> (1 for the start's run) is published.</summary>
    public static async Task<CustomResourceSnapshot> WaitForRunAsync(DistributedApplication app, int run, CancellationToken cancellationToken)
    {
        var published = await app.ResourceNotifications
            .WaitForResourceAsync(ResourceNames.Migrations, e => MigrationProperties.RunOf(e.Snapshot) >= run, cancellationToken)
            .WaitAsync(AppResources.WaitTimeout, cancellationToken);
        return published.Snapshot;
    }

    public static CustomResourceSnapshot Current(DistributedApplication app, string resourceName) =>
        app.ResourceNotifications.TryGetCurrentState(resourceName, out var current)
            ? current.Snapshot
            : throw new InvalidOperationException($"No resource '{resourceName}'.");

    public static object? Property(CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value;

    /// <summary>Waits until the service's health report on the dashboard has this status and description.</summary>
    public static async Task<HealthReportSnapshot> WaitForHealthAsync(
        DistributedApplication app, string service, HealthStatus status, string description, CancellationToken cancellationToken)
    {
        var reported = await app.ResourceNotifications
            .WaitForResourceAsync(service, e => e.Snapshot.HealthReports.Any(r => r.Status == status && r.Description == description), cancellationToken)
            .WaitAsync(AppResources.WaitTimeout, cancellationToken);
        return reported.Snapshot.HealthReports.Single(r => r.Status == status && r.Description == description);
    }

    public static async Task<ExecuteCommandResult> ExecuteAsync(DistributedApplication app, string resourceName, string command, CancellationToken cancellationToken) =>
        await app.ResourceCommands.ExecuteCommandAsync(resourceName, command, cancellationToken).WaitAsync(AppResources.WaitTimeout, cancellationToken);
}
