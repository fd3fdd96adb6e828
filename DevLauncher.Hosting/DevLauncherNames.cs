namespace Aspire.Hosting;

/// <summary>
/// The commands DevLauncher adds to the dashboard, by the names the Aspire CLI runs them with
/// (<c>aspire resource migrations apply-migrations</c>) and the names the dashboard shows. One home for both, which the
/// AppHost, its tests and the bench use.
/// </summary>
public static class DevLauncherCommands
{
    /// <summary>Runs the migration worker again: it applies the migration files added since its last run.</summary>
    public const string ApplyMigrations = "apply-migrations";

    /// <summary>Shows what Apply migrations would do, and applies nothing.</summary>
    public const string CheckMigrations = "check-migrations";

    /// <summary>Runs the pending migrations on a copy of the database and reports what they lock, rewrite and lose.</summary>
    public const string PreviewMigrations = "preview-migrations";

    /// <summary>Takes back the last run that applied migrations, from the Undo snapshot taken before it.</summary>
    public const string UndoMigration = "undo-migration";

    /// <summary>Replaces the database with a copy of its template (on an existing server: drops the owner's schemas and migrates again).</summary>
    public const string ResetDatabase = "reset-database";

    /// <summary>Lists the branch databases on the server, with their sizes.</summary>
    public const string ListDatabases = "list-databases";

    /// <summary>Drops the databases of branches deleted from the checkout.</summary>
    public const string DeleteGoneDatabases = "delete-gone-databases";

    /// <summary>The dashboard's name for <see cref="ApplyMigrations"/>.</summary>
    public const string ApplyMigrationsDisplayName = "Apply migrations";

    /// <summary>The dashboard's name for <see cref="CheckMigrations"/>.</summary>
    public const string CheckMigrationsDisplayName = "Check migrations";

    /// <summary>The dashboard's name for <see cref="PreviewMigrations"/>.</summary>
    public const string PreviewMigrationsDisplayName = "Preview migrations";

    /// <summary>The dashboard's name for <see cref="UndoMigration"/>.</summary>
    public const string UndoMigrationDisplayName = "Undo last migration";

    /// <summary>The dashboard's name for <see cref="ResetDatabase"/>.</summary>
    public const string ResetDatabaseDisplayName = "Reset database";

    /// <summary>The dashboard's name for <see cref="ListDatabases"/>.</summary>
    public const string ListDatabasesDisplayName = "List branch databases";

    /// <summary>The dashboard's name for <see cref="DeleteGoneDatabases"/>.</summary>
    public const string DeleteGoneDatabasesDisplayName = "Delete databases of deleted branches";
}

/// <summary>
/// The properties DevLauncher shows in a resource's details panel (and <c>aspire describe</c> prints), by key.
/// </summary>
public static class DevLauncherProperties
{
    /// <summary>The worker's run number since the AppHost started.</summary>
    public const string Run = "migrations.run";

    /// <summary>The run's one-line outcome.</summary>
    public const string Outcome = "migrations.outcome";

    /// <summary>The schema version the history table records.</summary>
    public const string SchemaVersion = "migrations.schema_version";

    /// <summary>How many migrations the run applied.</summary>
    public const string AppliedByRun = "migrations.applied_by_run";

    /// <summary>The files the run applied.</summary>
    public const string AppliedFiles = "migrations.applied_files";

    /// <summary>How many migrations the history records.</summary>
    public const string AppliedTotal = "migrations.applied_total";

    /// <summary>The files not applied yet.</summary>
    public const string Pending = "migrations.pending";

    /// <summary>The seed files the run ran.</summary>
    public const string Seeded = "migrations.seeded";

    /// <summary>How long the run waited for the migration lock.</summary>
    public const string LockWait = "migrations.lock_wait";

    /// <summary>The failed run's reason: file, SQLSTATE and line.</summary>
    public const string Failure = "migrations.failure";

    /// <summary>The failed run's exit code, with its meaning.</summary>
    public const string ExitCode = "migrations.exit_code";

    /// <summary>What Undo last migration would take back, or why it cannot.</summary>
    public const string Undo = "migrations.undo";

    /// <summary>The git branch whose database this is.</summary>
    public const string Branch = "database.branch";

    /// <summary>The database's name on the server.</summary>
    public const string DatabaseName = "database.name";

    /// <summary>Where the branch's database came from.</summary>
    public const string CopiedFrom = "database.copied_from";

    /// <summary>The template Reset database copies, or its build's state.</summary>
    public const string Template = "database.template";

    /// <summary>On a resource left waiting: what it waits for, which failed.</summary>
    public const string WaitingFor = "devlauncher.waiting_for";
}
