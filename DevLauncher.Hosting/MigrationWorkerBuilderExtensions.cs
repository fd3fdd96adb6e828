using DevLauncher.Hosting.Database;
using DevLauncher.Hosting.Migrations;

namespace Aspire.Hosting;

/// <summary>Makes a project the migration worker of an app database, with its commands and its runs on the dashboard.</summary>
public static class MigrationWorkerBuilderExtensions
{
    /// <summary>
    /// Makes <paramref name="worker"/> the migration worker of <paramref name="database"/>: it gets the owner's
    /// connection (<c>ConnectionStrings:{name}</c>) and the service role's password, waits for the database, reads its
    /// migrations from its project's <c>Scripts/</c> folder and its seeds from <c>Seeds/</c> at each run (so Apply
    /// migrations needs no rebuild), and gets the commands Apply migrations, Check migrations, Preview migrations and Undo last migration.
    /// Each run's outcome becomes the worker's properties. The services wait for it with <c>WaitForCompletion</c>.
    /// In publish mode the worker runs the migrations built into it, and no seeds.
    /// </summary>
    /// <param name="worker">The worker's project.</param>
    /// <param name="database">The app database, from <see cref="AppDatabaseBuilderExtensions.AddAppDatabase"/>.</param>
    /// <returns>The worker's builder.</returns>
    public static IResourceBuilder<ProjectResource> WithMigrationsFor(this IResourceBuilder<ProjectResource> worker, IResourceBuilder<IResourceWithConnectionString> database)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(database);
        var dev = AppDatabaseBuilderExtensions.AppDatabaseAnnotationOf(database.Resource);
        if (dev.Worker is { } existing)
        {
            throw new InvalidOperationException($"{database.Resource.Name} already has a migration worker, {existing.Name}: one worker applies its schema.");
        }

        var runs = new MigrationRuns(dev);
        dev.Worker = worker.Resource;
        worker.WithAnnotation(new MigrationWorkerAnnotation(dev, runs))
            .WithReference(database)
            .WaitFor(database)
            .WithServicePassword(dev.ServicePassword);
        if (worker.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            dev.Files = WorkerFiles.Of(worker, worker.ApplicationBuilder.Configuration, worker.ApplicationBuilder.AppHostDirectory, dev.Seeds);
            worker.WithWorkerFiles(dev.Files).WithMigrationRuns(dev, runs);
        }

        return worker
            .WithApplyMigrationsCommand()
            .WithCheckMigrationsCommand(dev)
            .WithPreviewMigrationsCommand(dev, runs)
            .WithUndoMigrationCommand(dev, runs);
    }
}
