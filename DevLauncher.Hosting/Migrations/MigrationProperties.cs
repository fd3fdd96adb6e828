using System.Collections.Immutable;
using System.Globalization;
using DevLauncher.SchemaLoop;

namespace DevLauncher.Hosting.Migrations;

/// <summary>
/// A run of the worker on the dashboard: the properties of its details panel. The state stays Aspire's (Finished or
/// Exited, with the exit code); these say what the run did, from the worker's report and the history table, either of
/// which may be missing (a killed worker writes no report, an unreachable database gives no history).
/// </summary>
/// <param name="Run">The run's number since the AppHost started, per replica.</param>
internal sealed record MigrationProperties(int Run, int ExitCode, MigrationReport? Report, SchemaHistoryState? History)
{

    /// <summary>The number of the last run the snapshot shows; 0 before the first.</summary>
    public static int RunOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == DevLauncherProperties.Run)?.Value is int run ? run : 0;

    public string SchemaVersion => History?.Version ?? Report?.SchemaVersion ?? "unknown";

    /// <summary>The run's one-line summary: the command's result, and the terminal's line when it failed.</summary>
    public string Summary => ExitCode == 0
        ? $"at {SchemaVersion}, " + (Report switch { null => "no report", { Applied.Count: > 0 } r => $"{r.Applied.Count} applied", _ => "up to date" })
        : Report?.Failure?.Summary ?? $"exit code {ExitCode}, no report (stopped or crashed)";

    /// <summary>The worker's own reason on failure, as its log says it.</summary>
    public string? Failure => ExitCode == 0
        ? null
        : Report?.Failure?.Reason ?? "The worker wrote no report: it was stopped or crashed; its console log says why.";

    public ImmutableArray<ResourcePropertySnapshot> ApplyTo(ImmutableArray<ResourcePropertySnapshot> properties) =>
        properties.Without(DevLauncherProperties.Failure, DevLauncherProperties.ExitCode).With(Properties());

    public static ResourcePropertySnapshot Undo(UndoStatus status) => ResourceProperties.Of(DevLauncherProperties.Undo, "Undo last migration",
        status.Available ? $"takes back {string.Join(", ", status.Files)} (back to {status.Version})" : status.Reason!, highlighted: true);

    private IEnumerable<ResourcePropertySnapshot> Properties()
    {
        yield return ResourceProperties.Of(DevLauncherProperties.Run, "Run", Run);
        yield return ResourceProperties.Of(DevLauncherProperties.Outcome, "Outcome", Summary, highlighted: true);
        yield return ResourceProperties.Of(DevLauncherProperties.SchemaVersion, "Schema version", SchemaVersion, highlighted: true);
        yield return ResourceProperties.Of(DevLauncherProperties.AppliedByRun, "Applied by this run", Report?.Applied.Count ?? 0, highlighted: true);
        yield return ResourceProperties.Of(DevLauncherProperties.AppliedFiles, "Files applied by this run", List(Report?.Applied), highlighted: true);
        yield return ResourceProperties.Of(DevLauncherProperties.AppliedTotal, "Applied in total", History?.Total ?? 0, highlighted: true);
        yield return ResourceProperties.Of(DevLauncherProperties.Pending, "Pending", List(Report?.Pending), highlighted: true);
        yield return ResourceProperties.Of(DevLauncherProperties.Seeded, "Seeded by this run", List(Report?.Seeded));
        yield return ResourceProperties.Of(DevLauncherProperties.LockWait, "Lock wait", Report is null ? "unknown" : Duration(Report.LockWaitMs), highlighted: true);
        if (Failure is { } failure)
        {
            yield return ResourceProperties.Of(DevLauncherProperties.Failure, "Failure", failure, highlighted: true);
            yield return ResourceProperties.Of(DevLauncherProperties.ExitCode, "Worker exit code", $"{ExitCode}{Meaning(Report?.Outcome)}", highlighted: true);
        }
    }

    private static string List(IReadOnlyList<string>? files) => files is { Count: > 0 } ? string.Join(", ", files) : "none";

    private static string Duration(long milliseconds) => milliseconds < 1000
        ? $"{milliseconds} ms"
        : string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000.0:0.0} s");

    /// <summary>What the worker's exit code means (docs/migrations.md, "Exit codes").</summary>
    private static string Meaning(MigrationOutcome? outcome) => outcome switch
    {
        MigrationOutcome.ConfigurationError => ": bad configuration, or the database cannot be reached",
        MigrationOutcome.LockTimeout => ": another session held the migration lock too long",
        MigrationOutcome.MigrationFailed => ": a migration failed and was rolled back",
        MigrationOutcome.ValidationFailed => ": nothing applied, the files and the history disagree",
        MigrationOutcome.SeedFailed => ": a seed failed and was rolled back; the migrations are applied",
        MigrationOutcome.Unexpected => ": stopped, or failed unexpectedly",
        _ => "",
    };
}
