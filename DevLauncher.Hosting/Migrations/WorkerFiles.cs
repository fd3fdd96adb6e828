using DevLauncher.Migrations.Engine;
using DevLauncher.SchemaLoop;

namespace DevLauncher.Hosting.Migrations;

/// <summary>
/// The migration and seed files the worker runs, as folders on disk: its project's <c>Scripts/</c> (or
/// <c>DevLauncher:MigrationsDirectory</c>) and <c>Seeds/</c>. The worker reads them at each run rather than the copies
/// built into it, so Apply migrations needs no rebuild; the AppHost reads the same files to plan, to tell whether a
/// template is current, and to choose the database a new branch starts from.
/// </summary>
/// <param name="SeedsDirectory">Null where seeds must not run (an existing server, unless a setting asks for them).</param>
internal sealed record WorkerFiles(string MigrationsDirectory, string? SeedsDirectory)
{
    /// <summary>A folder of <c>.sql</c> files the worker runs instead of its own, for trying migrations before they are committed.</summary>
    public const string MigrationsDirectoryKey = "DevLauncher:MigrationsDirectory";

    public static WorkerFiles Of(IResourceBuilder<ProjectResource> worker, IConfiguration configuration, string appHostDirectory, bool seeds)
    {
        var project = Path.GetDirectoryName(worker.Resource.GetProjectMetadata().ProjectPath)!;
        // Made absolute against the AppHost's folder, as the data folder is: DCP runs the worker in its own folder.
        var migrations = configuration[MigrationsDirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, appHostDirectory)
            : Path.Combine(project, "Scripts");
        return new WorkerFiles(migrations, seeds ? Path.Combine(project, "Seeds") : null);
    }

    public MigrationFiles Load() => MigrationFiles.Load(MigrationsDirectory, SeedsDirectory);

    /// <summary>The migration files as the schema loop compares them with a database's history.</summary>
    public IReadOnlyList<VersionedFile> Versions() => [.. Load().Migrations.Select(s => new VersionedFile(s.Version, s.FileName, s.Checksum))];
}

internal static class WorkerEnvironmentExtensions
{
    /// <summary>The password the worker gives the services' role after every run (a secret parameter).</summary>
    public static IResourceBuilder<ProjectResource> WithServicePassword(this IResourceBuilder<ProjectResource> worker, ParameterResource password) =>
        worker.WithEnvironment(WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.ServicePasswordKey), worker.ApplicationBuilder.CreateResourceBuilder(password));

    public static IResourceBuilder<ProjectResource> WithWorkerFiles(this IResourceBuilder<ProjectResource> worker, WorkerFiles files)
    {
        worker.WithEnvironment(WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.DirectoryKey), files.MigrationsDirectory);
        return files.SeedsDirectory is { } seeds ? worker.WithEnvironment(WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.SeedsDirectoryKey), seeds) : worker;
    }
}
