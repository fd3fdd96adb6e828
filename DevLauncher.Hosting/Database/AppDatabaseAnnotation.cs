using DevLauncher.Hosting.Migrations;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.Hosting.Database;

/// <summary>
/// An app database's state, kept on its resource as Aspire's integrations keep theirs: the settings that chose its
/// server, the services' connection (the least-privilege role), its schema loop where the AppHost runs the server, and
/// the migration worker once one is attached (<c>WithMigrationsFor</c>). Every command and subscriber finds it here.
/// </summary>
internal sealed class AppDatabaseAnnotation(PostgresSettings postgres, DatabaseSettings settings) : IResourceAnnotation
{
    public PostgresSettings Postgres { get; } = postgres;

    public DatabaseSettings Settings { get; } = settings;

    /// <summary>The database as its owner: the worker's connection.</summary>
    public IResourceWithConnectionString Owner { get; set; } = null!;

    /// <summary>The same database as the service role that the worker creates: the services' connection.</summary>
    public IResourceWithConnectionString Service { get; set; } = null!;

    /// <summary>The service role's password, which the worker sets after every run.</summary>
    public required ParameterResource ServicePassword { get; init; }

    /// <summary>On an existing server, the configured database's name.</summary>
    public string? ExistingName { get; set; }

    /// <summary>Whether the AppHost runs the server, and so the schema loop (branch databases, Undo, templates).</summary>
    public bool HasLoop => Postgres.Mode != PostgresMode.Existing;

    /// <summary>The schema loop, made when the app starts (<see cref="AppDatabaseLoopSubscriber"/>); null before, and on an existing server.</summary>
    public AppDatabaseLoop? Loop { get; set; }

    public AppDatabaseLoop RequiredLoop => Loop ?? throw new InvalidOperationException($"{Owner.Name}'s schema loop starts with the app.");

    /// <summary>The migration worker, once attached.</summary>
    public ProjectResource? Worker { get; set; }

    /// <summary>The worker's files, once a worker is attached.</summary>
    public WorkerFiles? Files { get; set; }

    /// <summary>Whether seeds run: always where the AppHost runs the server, on an existing one only when asked.</summary>
    public bool Seeds => Postgres.Mode != PostgresMode.Existing || Settings.SeedExistingServer;

    public string NoWorker => $"{Owner.Name} has no migration worker: add one with .WithMigrationsFor({Owner.Name}) on the worker's project.";

    public WorkerFiles RequiredFiles => Files ?? throw new InvalidOperationException(NoWorker);
}

/// <summary>Marks the migration worker of an app database.</summary>
internal sealed class MigrationWorkerAnnotation(AppDatabaseAnnotation database, MigrationRuns runs) : IResourceAnnotation
{
    public AppDatabaseAnnotation Database { get; } = database;

    public MigrationRuns Runs { get; } = runs;
}
