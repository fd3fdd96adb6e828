using System.Collections.Immutable;
using System.Globalization;
using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Migrations;

/// <summary>
/// One finished run of the worker as the dashboard shows it: a state text that says the outcome, and properties on the
/// resource's details panel. Built from the worker's report and the history table; either may be missing (a killed
/// worker writes no report, an unreachable database gives no history).
/// </summary>
/// <param name="Run">The run's number since the AppHost started, per replica.</param>
public sealed record MigrationRunView(int Run, int ExitCode, MigrationReport? Report, SchemaHistoryState? History)
{
    public const string RunProperty = "migrations.run";
    public const string SchemaVersionProperty = "migrations.schema_version";
    public const string AppliedByRunProperty = "migrations.applied_by_run";
    public const string AppliedFilesProperty = "migrations.applied_files";
    public const string AppliedTotalProperty = "migrations.applied_total";
    public const string PendingProperty = "migrations.pending";
    public const string LockWaitProperty = "migrations.lock_wait";
    public const string FailureProperty = "migrations.failure";
    public const string ExitCodeProperty = "migrations.exit_code";

    public const string FinishedPrefix = "Finished: ";
    public const string FailedPrefix = "Failed: ";

    private static readonly string[] Names =
        [RunProperty, SchemaVersionProperty, AppliedByRunProperty, AppliedFilesProperty, AppliedTotalProperty, PendingProperty, LockWaitProperty, FailureProperty, ExitCodeProperty];

    public bool Succeeded => ExitCode == 0;

    public string SchemaVersion => History?.Version ?? Report?.SchemaVersion ?? "unknown";

    /// <summary>"Finished: at 0007, 2 applied", "Finished: at 0007, up to date" or "Failed: 0004_x.sql, 42P01, line 3".</summary>
    public ResourceStateSnapshot State => Succeeded
        ? new(FinishedPrefix + $"at {SchemaVersion}" + Report switch
        {
            null => "",
            { Applied.Count: > 0 } => $", {Report.Applied.Count} applied",
            _ => ", up to date",
        }, KnownResourceStateStyles.Success)
        : new(FailedPrefix + (Report?.Failure?.Summary ?? $"exit code {ExitCode}, no report (stopped or crashed)"), KnownResourceStateStyles.Error);

    /// <summary>The resource's other properties, with this view's replacing those of the previous run.</summary>
    public ImmutableArray<ResourcePropertySnapshot> Apply(ImmutableArray<ResourcePropertySnapshot> properties) =>
        [.. properties.Where(p => !Names.Contains(p.Name)), .. Properties()];

    public IEnumerable<ResourcePropertySnapshot> Properties()
    {
        yield return Property(RunProperty, "Run", Run);
        yield return Property(SchemaVersionProperty, "Schema version", SchemaVersion, highlighted: true);
        yield return Property(AppliedByRunProperty, "Applied by this run", Report?.Applied.Count ?? 0, highlighted: true);
        yield return Property(AppliedFilesProperty, "Files applied by this run", List(Report?.Applied), highlighted: true);
        yield return Property(AppliedTotalProperty, "Applied in total", History?.Total ?? 0, highlighted: true);
        yield return Property(PendingProperty, "Pending", List(Report?.Pending), highlighted: true);
        yield return Property(LockWaitProperty, "Lock wait", Report is null ? "unknown" : Duration(Report.LockWaitMs), highlighted: true);
        if (!Succeeded)
        {
            yield return Property(FailureProperty, "Failure", Report?.Failure?.Reason ?? "The worker wrote no report: it was stopped or crashed; its console log says why.", highlighted: true);
            yield return Property(ExitCodeProperty, "Worker exit code", $"{ExitCode}{Meaning(Report?.Outcome)}", highlighted: true);
        }
    }

    private static ResourcePropertySnapshot Property(string name, string displayName, object value, bool highlighted = false) =>
        new(name, value) { DisplayName = displayName, IsHighlighted = highlighted };

    private static string List(IReadOnlyList<string>? files) => files is { Count: > 0 } ? string.Join(", ", files) : "none";

    private static string Duration(long milliseconds) => milliseconds < 1000
        ? $"{milliseconds} ms"
        : string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000.0:0.0} s");

    /// <summary>What the worker's exit code means (README "Exit codes").</summary>
    private static string Meaning(MigrationOutcome? outcome) => outcome switch
    {
        MigrationOutcome.ConfigurationError => ": bad configuration, or the database cannot be reached",
        MigrationOutcome.LockTimeout => ": another session held the migration lock too long",
        MigrationOutcome.MigrationFailed => ": a migration failed and was rolled back",
        MigrationOutcome.ValidationFailed => ": nothing applied, the files and the history disagree",
        MigrationOutcome.Unexpected => ": stopped, or failed unexpectedly",
        _ => "",
    };
}
