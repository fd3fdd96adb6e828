namespace DevLauncher.Migrations.Engine;

/// <summary>What the worker's exit code means. Documented in docs/migrations.md; the hosts and CI scripts rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>
    /// Every migration is applied (this run applied some, or there was nothing to do); with <c>Migrations:PlanOnly</c>,
    /// the plan found nothing wrong (pending files are not an error: the report lists them).
    /// </summary>
    public const int Success = 0;

    /// <summary>Stopped before finishing (Ctrl-C, SIGTERM) or an error nobody planned for; the log says which.</summary>
    public const int Unexpected = 1;

    /// <summary>Bad configuration: no connection string, a bad lock timeout, a missing directory, or an unreachable server.</summary>
    public const int Configuration = 2;

    /// <summary>Another session held the migration lock for longer than <c>Migrations:LockTimeout</c>.</summary>
    public const int LockTimeout = 3;

    /// <summary>A migration failed and was rolled back; the log names its file, SQLSTATE and line.</summary>
    public const int MigrationFailed = 4;

    /// <summary>
    /// Nothing applied: an applied file changed (drift), a history row has no file, or a file is out of order or cannot
    /// run as written. A plan-only run that finds one of these exits 5 too.
    /// </summary>
    public const int ValidationFailed = 5;

    /// <summary>
    /// Every migration is applied, but the seeds (<c>Migrations:SeedsDirectory</c>) failed and were rolled back; the log
    /// names the seed file, SQLSTATE and line. The next run seeds again.
    /// </summary>
    public const int SeedFailed = 6;
}
