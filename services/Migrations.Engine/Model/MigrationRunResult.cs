using DevLauncher.Contracts;

namespace DevLauncher.Migrations.Engine;

/// <summary>What one run did; <see cref="ExitCode"/> is what the process exits with.</summary>
/// <param name="Error">The failure as the log says it (several lines when several files are wrong).</param>
public sealed record MigrationRunResult(MigrationOutcome Outcome, IReadOnlyList<long> AppliedVersions, string? Error = null)
{
    public IReadOnlyList<string> AppliedFiles { get; init; } = [];

    /// <summary>The files still to apply after the run; for a plan, what a run would apply.</summary>
    public IReadOnlyList<string> PendingFiles { get; init; } = [];

    public IReadOnlyList<MigrationProblem> Problems { get; init; } = [];

    /// <summary>The seed files this run ran, in order; empty when it seeded nothing.</summary>
    public IReadOnlyList<string> Seeded { get; init; } = [];

    /// <summary>The highest applied version after the run, formatted ("none" for an empty history); null when the history was not read.</summary>
    public string? SchemaVersion { get; init; }

    public TimeSpan LockWait { get; init; }

    public MigrationFailure? Failure { get; init; }

    public int ExitCode => Outcome switch
    {
        MigrationOutcome.Applied or MigrationOutcome.UpToDate or MigrationOutcome.Planned => ExitCodes.Success,
        MigrationOutcome.LockTimeout => ExitCodes.LockTimeout,
        MigrationOutcome.MigrationFailed => ExitCodes.MigrationFailed,
        MigrationOutcome.SeedFailed => ExitCodes.SeedFailed,
        MigrationOutcome.ValidationFailed => ExitCodes.ValidationFailed,
        MigrationOutcome.ConfigurationError => ExitCodes.Configuration,
        _ => ExitCodes.Unexpected,
    };

    /// <summary>The run as the worker reports it, and as the AppHost shows it.</summary>
    public MigrationReport ToReport(bool planOnly) =>
        new(Outcome, ExitCode, planOnly, SchemaVersion, AppliedFiles, PendingFiles, Problems, (long)LockWait.TotalMilliseconds, Failure)
        {
            Seeded = Seeded,
        };

    /// <param name="error">The log's wording; the failure's reason when not given.</param>
    internal static MigrationRunResult Failed(MigrationOutcome status, MigrationFailure failure, string? error = null) =>
        new(status, [], error ?? failure.Reason) { Failure = failure };
}
