using System.Collections.Immutable;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Migrations;

namespace DevLauncher.AppHost.Tests;

/// <summary>A run of the worker on the dashboard: its properties (<see cref="MigrationProperties"/>) and its command result.</summary>
public sealed partial class DashboardModelTests
{
    private static readonly SchemaHistoryState AtSeven = new("0007", 7);

    public static TheoryData<MigrationReport?, int, string> Outcomes => new()
    {
        { Report(MigrationOutcome.Applied, applied: ["0006_a.sql", "0007_b.sql"]), 0, "at 0007, 2 applied" },
        { Report(MigrationOutcome.UpToDate), 0, "at 0007, up to date" },
        { null, 0, "at 0007, no report" },
        { Failed(MigrationOutcome.MigrationFailed, "0004_x.sql, 42P01, line 3"), 4, "0004_x.sql, 42P01, line 3" },
        { Failed(MigrationOutcome.LockTimeout, "lock held by pid 42 (psql)"), 3, "lock held by pid 42 (psql)" },
        { Failed(MigrationOutcome.ValidationFailed, "drift in 0003_c.sql"), 5, "drift in 0003_c.sql" },
        { Failed(MigrationOutcome.SeedFailed, "seed 0001_demo.sql, 23505, line 4"), 6, "seed 0001_demo.sql, 23505, line 4" },
        { null, 137, "exit code 137, no report (stopped or crashed)" },
    };

    public static TheoryData<MigrationReport?, int, string> ExitCodeMeanings => new()
    {
        { Failed(MigrationOutcome.MigrationFailed, "0004_x.sql, 42P01, line 3"), 4, "4: a migration failed and was rolled back" },
        { Failed(MigrationOutcome.LockTimeout, "lock held by pid 42 (psql)"), 3, "3: another session held the migration lock too long" },
        { Failed(MigrationOutcome.ValidationFailed, "drift in 0003_c.sql"), 5, "5: nothing applied, the files and the history disagree" },
        { Failed(MigrationOutcome.SeedFailed, "seed 0001_demo.sql, 23505, line 4"), 6, "6: a seed failed and was rolled back; the migrations are applied" },
        { null, 137, "137" },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void A_runs_outcome_says_how_it_ended(MigrationReport? report, int exitCode, string outcome) =>
        Assert.Equal(outcome, Value(new MigrationProperties(1, exitCode, report, AtSeven).ApplyTo([]), DevLauncherProperties.Outcome));

    [Theory]
    [MemberData(nameof(ExitCodeMeanings))]
    public void A_failed_runs_exit_code_says_what_it_means(MigrationReport? report, int exitCode, string meaning) =>
        Assert.Equal(meaning, Value(new MigrationProperties(1, exitCode, report, AtSeven).ApplyTo([]), DevLauncherProperties.ExitCode));

    [Fact]
    public void A_failed_run_shows_the_workers_own_reason()
    {
        var properties = new MigrationProperties(1, 4, Failed(MigrationOutcome.MigrationFailed, "0004_x.sql, 42P01, line 3"), AtSeven).ApplyTo([]);

        Assert.Equal("Migration 0004_x.sql, 42P01, line 3 failed: the worker's words", Value(properties, DevLauncherProperties.Failure));
    }

    [Fact]
    public void A_run_without_a_report_says_the_worker_was_stopped_or_crashed() =>
        Assert.Equal("The worker wrote no report: it was stopped or crashed; its console log says why.",
            Value(new MigrationProperties(1, 137, null, null).ApplyTo([]), DevLauncherProperties.Failure));

    [Fact]
    public void A_successful_run_takes_the_last_runs_failure_away()
    {
        var failed = new MigrationProperties(1, 3, Failed(MigrationOutcome.LockTimeout, "lock held by pid 42 (psql)"), null).ApplyTo([]);

        var succeeded = new MigrationProperties(2, 0, Report(MigrationOutcome.UpToDate), AtSeven).ApplyTo(failed);

        Assert.NotNull(Value(failed, DevLauncherProperties.Failure));
        Assert.Null(Value(succeeded, DevLauncherProperties.Failure));
        Assert.Null(Value(succeeded, DevLauncherProperties.ExitCode));
    }

    [Fact]
    public void A_runs_properties_replace_the_last_runs()
    {
        var properties = new MigrationProperties(2, 0, Report(MigrationOutcome.UpToDate), AtSeven).ApplyTo(new MigrationProperties(1, 0, null, AtSeven).ApplyTo([]));

        Assert.Equal(2, Assert.Single(properties, p => p.Name == DevLauncherProperties.Run).Value);
        Assert.Equal("at 0007, up to date", Assert.Single(properties, p => p.Name == DevLauncherProperties.Outcome).Value);
    }

    [Fact]
    public void A_runs_properties_keep_the_resources_own()
    {
        ImmutableArray<ResourcePropertySnapshot> own = [new("project.path", "/src/worker.csproj")];

        Assert.Equal("/src/worker.csproj", Value(new MigrationProperties(1, 0, null, AtSeven).ApplyTo(own), "project.path"));
    }

    [Fact]
    public void A_run_shows_the_files_it_applied()
    {
        var properties = AppliedTwoOfThree();

        Assert.Equal(2, Value(properties, DevLauncherProperties.AppliedByRun));
        Assert.Equal("0006_a.sql, 0007_b.sql", Value(properties, DevLauncherProperties.AppliedFiles));
    }

    [Fact]
    public void A_run_shows_the_files_still_pending() =>
        Assert.Equal("0008_c.sql", Value(AppliedTwoOfThree(), DevLauncherProperties.Pending));

    [Fact]
    public void A_run_shows_how_many_migrations_the_history_holds() =>
        Assert.Equal(7L, Value(AppliedTwoOfThree(), DevLauncherProperties.AppliedTotal));

    [Theory]
    [InlineData(true, "0007")]
    [InlineData(false, "0006")]
    public void The_schema_version_is_the_historys_else_the_reports(bool historyRead, string version) =>
        Assert.Equal(version, Value(new MigrationProperties(1, 0, Report(MigrationOutcome.UpToDate), historyRead ? AtSeven : null).ApplyTo([]),
            DevLauncherProperties.SchemaVersion));

    [Theory]
    [InlineData(12L, "12 ms")]
    [InlineData(60_000L, "60.0 s")]
    [InlineData(null, "unknown")]
    public void The_lock_wait_is_shown_in_milliseconds_or_seconds(long? lockWaitMs, string shown) =>
        Assert.Equal(shown, Value(new MigrationProperties(1, 0, lockWaitMs is { } ms ? Report(MigrationOutcome.UpToDate, lockWaitMs: ms) : null, AtSeven).ApplyTo([]),
            DevLauncherProperties.LockWait));

    [Theory]
    [InlineData(new[] { "0001_demo.sql" }, "0001_demo.sql")]
    [InlineData(new string[0], "none")]
    public void A_run_shows_the_seeds_it_ran(string[] seeded, string shown) =>
        Assert.Equal(shown, Value(new MigrationProperties(1, 0, Report(MigrationOutcome.Applied, seeded: seeded), AtSeven).ApplyTo([]), DevLauncherProperties.Seeded));

    private static ImmutableArray<ResourcePropertySnapshot> AppliedTwoOfThree() =>
        new MigrationProperties(1, 0, Report(MigrationOutcome.Applied, applied: ["0006_a.sql", "0007_b.sql"], pending: ["0008_c.sql"]), AtSeven).ApplyTo([]);

    private static object? Value(ImmutableArray<ResourcePropertySnapshot> properties, string name) => properties.FirstOrDefault(p => p.Name == name)?.Value;

    private static MigrationReport Report(MigrationOutcome outcome, string[]? applied = null, string[]? pending = null, string[]? seeded = null, long lockWaitMs = 0) =>
        new(outcome, 0, false, "0006", applied ?? [], pending ?? [], [], lockWaitMs, null) { Seeded = seeded ?? [] };

    private static MigrationReport Failed(MigrationOutcome outcome, string summary) =>
        Report(outcome, pending: ["0004_x.sql"]) with { Failure = new MigrationFailure(summary, $"Migration {summary} failed: the worker's words") };
}
