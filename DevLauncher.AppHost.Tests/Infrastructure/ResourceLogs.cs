namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>The console output of the processes the app ran, as the dashboard's Console page shows it.</summary>
public static class ResourceLogs
{
    /// <summary>Every line so far of every process the orchestrator ran (projects, executables, containers).</summary>
    public static async Task<IReadOnlyList<(string Resource, string Line)>> AllAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var lines = new List<(string, string)>();
        foreach (var resource in model.Resources.Where(r => r is ProjectResource or ExecutableResource or ContainerResource))
        {
            await foreach (var batch in loggers.GetAllAsync(resource).WithCancellation(cancellationToken))
            {
                lines.AddRange(batch.Select(l => (resource.Name, l.Content)));
            }
        }

        return lines;
    }
}
