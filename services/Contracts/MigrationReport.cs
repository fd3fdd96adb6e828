namespace DevLauncher.Contracts;

/// <summary>How a run of the migration worker ended.</summary>
public enum MigrationOutcome
{
    /// <summary>This run applied at least one migration.</summary>
    Applied,

    /// <summary>Nothing was pending.</summary>
    UpToDate,

    /// <summary>A plan-only run (<c>Migrations:PlanOnly</c>) that found nothing wrong; nothing was applied.</summary>
    Planned,

    LockTimeout,
    MigrationFailed,

    /// <summary>Every migration is applied, but the seeds failed and were rolled back: the next run seeds again.</summary>
    SeedFailed,

    /// <summary>Drift, an unknown or out-of-order version, or a file that cannot run as written: nothing was applied.</summary>
    ValidationFailed,

    ConfigurationError,

    /// <summary>Stopped (Ctrl-C, SIGTERM) or an error nobody planned for.</summary>
    Unexpected,
}

/// <summary>Why the files and the history disagree.</summary>
public enum MigrationProblemKind
{
    /// <summary>An applied file changed after it was applied.</summary>
    Drift,

    /// <summary>A history row whose file is gone.</summary>
    Unknown,

    /// <summary>A pending file below the highest applied version.</summary>
    OutOfOrder,

    /// <summary>A file that is badly named, shares its version, or cannot run as written.</summary>
    InvalidFile,
}

/// <param name="Subject">The file name, or for an unknown version the history row's script name.</param>
/// <param name="Message">The whole sentence, naming the file and what to do.</param>
public sealed record MigrationProblem(MigrationProblemKind Kind, string Subject, string Message);

/// <summary>Why a run failed: a short summary for a status line, and the worker's one-line reason.</summary>
/// <param name="Summary">
/// For a state text, e.g. <c>0004_x.sql, 42P01, line 3</c>, <c>seed 0001_demo.sql, 23505, line 4</c> or
/// <c>lock held by pid 4242 (psql)</c>.
/// </param>
/// <param name="Reason">The worker's error on one line, as its log says it.</param>
public sealed record MigrationFailure(string Summary, string Reason)
{
    public string? File { get; init; }

    public string? SqlState { get; init; }

    public int? Line { get; init; }

    /// <summary>For a lock timeout: the process id of the session that held the lock.</summary>
    public int? LockHolderPid { get; init; }
}

/// <summary>
/// What one run of the worker did, written as JSON in <c>Migrations:ReportDirectory</c> when that is set, to the file
/// <see cref="MigrationReportFile.PathIn"/> names (the AppHost sets it and shows the report on the dashboard).
/// </summary>
/// <param name="SchemaVersion">The highest applied version after the run, as <see cref="Contracts.SchemaVersion.Format(long?)"/> writes it; null when unknown.</param>
/// <param name="Applied">The files this run applied, in order.</param>
/// <param name="Pending">The files still to apply after the run: for a plan, what a run would apply.</param>
/// <param name="Problems">Why nothing was applied (<see cref="MigrationOutcome.ValidationFailed"/>).</param>
/// <param name="LockWaitMs">How long the worker waited for the migration lock.</param>
public sealed record MigrationReport(
    MigrationOutcome Outcome,
    int ExitCode,
    bool PlanOnly,
    string? SchemaVersion,
    IReadOnlyList<string> Applied,
    IReadOnlyList<string> Pending,
    IReadOnlyList<MigrationProblem> Problems,
    long LockWaitMs,
    MigrationFailure? Failure)
{
    /// <summary>The seed files this run ran, in order (<c>Migrations:SeedsDirectory</c>); empty when it seeded nothing.</summary>
    public IReadOnlyList<string> Seeded { get; init; } = [];
}
