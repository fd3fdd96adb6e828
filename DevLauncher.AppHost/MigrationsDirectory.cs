namespace DevLauncher.AppHost;

/// <summary>
/// <c>DevLauncher:MigrationsDirectory</c>: a folder of <c>.sql</c> files the worker runs instead of its embedded
/// migrations (the worker's <c>Migrations:Directory</c>), for trying migrations before they are committed.
/// </summary>
public static class MigrationsDirectory
{
    public const string Key = "DevLauncher:MigrationsDirectory";

    /// <summary>Hands the configured folder to the worker; without the key the worker keeps its embedded migrations.</summary>
    public static IResourceBuilder<ProjectResource> WithMigrationsDirectory(
        this IResourceBuilder<ProjectResource> worker, IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration[Key] is not { Length: > 0 } configured)
        {
            return worker;
        }

        // Made absolute here, against the AppHost's folder as the data folder is: DCP runs the worker in its own folder.
        return worker.WithEnvironment("Migrations__Directory", Path.GetFullPath(configured, builder.AppHostDirectory));
    }
}
