using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;
using Npgsql;

namespace DevLauncher.Tests.Migrations;

/// <summary>
/// The worker process's plan-only mode (Migrations:PlanOnly) and the report it writes in Migrations:ReportDirectory,
/// read back with the same contract the AppHost reads it with.
/// </summary>
public sealed class PlanAndReportTests(PostgresFixture postgres)
{
    private const string First = "CREATE TABLE public.first (id int);";
    private const string Second = "CREATE TABLE public.second (id int);";
    private const string Third = "CREATE TABLE public.third (id int);";

    [Fact]
    public async Task A_plan_lists_the_pending_files()
    {
        var (_, exitCode, report) = await PlanOfTwoFilesAsync();

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(new[] { "0001_first.sql", "0002_second.sql" }, report.Pending);
        Assert.Equal((MigrationOutcome.Planned, true, "none", 0), (report.Outcome, report.PlanOnly, report.SchemaVersion, report.Applied.Count));
        Assert.Null(report.Failure);
    }

    [Fact]
    public async Task A_plan_applies_nothing_not_even_the_history_table()
    {
        var (database, _, _) = await PlanOfTwoFilesAsync();

        Assert.False(await Sql.ScalarAsync<bool>(database, $"SELECT to_regclass('{SchemaHistory.Table}') IS NOT NULL"));
        Assert.Empty(await Catalog.SnapshotAsync(database));
    }

    [Fact]
    public async Task A_runs_report_lists_what_it_applied()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Write("0001_first.sql", First).Write("0002_second.sql", Second);

        var (_, applied) = await RunAsync(database, folder, planOnly: false);

        Assert.Equal((MigrationOutcome.Applied, 0, "0002"), (applied.Outcome, applied.ExitCode, applied.SchemaVersion));
        Assert.Equal(new[] { "0001_first.sql", "0002_second.sql" }, applied.Applied);
        Assert.Empty(applied.Pending);
        Assert.True(applied.LockWaitMs >= 0);
    }

    [Fact]
    public async Task A_plan_after_a_run_lists_only_the_new_file()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Write("0001_first.sql", First).Write("0002_second.sql", Second);
        await RunAsync(database, folder, planOnly: false);
        folder.Write("0003_third.sql", Third);
        var catalog = await Catalog.SnapshotAsync(database);

        var (exitCode, plan) = await RunAsync(database, folder, planOnly: true);

        Assert.Equal((ExitCodes.Success, "0002"), (exitCode, plan.SchemaVersion));
        Assert.Equal(new[] { "0003_third.sql" }, plan.Pending);
        Assert.Equal(catalog, await Catalog.SnapshotAsync(database));
        Assert.Equal([(1L, 1L), (2L, 1L)], await Catalog.HistoryAsync(database));
    }

    public static TheoryData<string> Problems => ["drift", "unknown", "out-of-order"];

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task A_plan_reports_with_exit_code_5_a_problem_a_run_would_refuse(string problem)
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Write("0001_first.sql", First).Write("0003_third.sql", Third);
        await RunAsync(database, folder, planOnly: false);
        var (kind, subject, summary) = problem switch
        {
            "drift" => Arrange(() => folder.Write("0001_first.sql", First + "\n-- edited"), MigrationProblemKind.Drift, "0001_first.sql", "drift in 0001_first.sql"),
            "unknown" => Arrange(() => folder.Delete("0003_third.sql"), MigrationProblemKind.Unknown, "0003_third.sql", "unknown version 0003_third.sql"),
            _ => Arrange(() => folder.Write("0002_second.sql", Second), MigrationProblemKind.OutOfOrder, "0002_second.sql", "0002_second.sql out of order"),
        };

        var (exitCode, report) = await RunAsync(database, folder, planOnly: true);

        Assert.Equal((ExitCodes.ValidationFailed, MigrationOutcome.ValidationFailed), (exitCode, report.Outcome));
        var found = Assert.Single(report.Problems);
        Assert.Equal((kind, subject), (found.Kind, found.Subject));
        Assert.Equal(summary, report.Failure?.Summary);
        Assert.Contains(found.Message, report.Failure?.Reason, StringComparison.Ordinal);
        Assert.Equal([(1L, 1L), (3L, 1L)], await Catalog.HistoryAsync(database));
    }

    [Fact]
    public async Task The_report_of_a_failed_migration_says_where_it_failed()
    {
        var (exitCode, report) = await RunWithABrokenSecondFileAsync();

        Assert.Equal((ExitCodes.MigrationFailed, MigrationOutcome.MigrationFailed), (exitCode, report.Outcome));
        var failure = Assert.IsType<MigrationFailure>(report.Failure);
        Assert.Equal(("0002_broken.sql", "42P01", 4), (failure.File, failure.SqlState, failure.Line));
        Assert.Equal("0002_broken.sql, 42P01, line 4", failure.Summary);
        Assert.StartsWith("Migration 0002_broken.sql failed and was rolled back: SQLSTATE 42P01", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Reason);
    }

    [Fact]
    public async Task The_report_of_a_failed_migration_lists_what_was_applied_before_it()
    {
        var (_, report) = await RunWithABrokenSecondFileAsync();

        Assert.Equal("0001", report.SchemaVersion);
        Assert.Equal(new[] { "0001_first.sql" }, report.Applied);
        Assert.Equal(new[] { "0002_broken.sql" }, report.Pending);
    }

    [Fact]
    public async Task The_report_of_a_lock_timeout_names_the_session_that_held_the_lock()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Write("0001_first.sql", First);
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false, ApplicationName = "lock-holder" }.ConnectionString);
        await holder.OpenAsync();
        await using var take = new NpgsqlCommand($"SELECT pg_backend_pid() FROM (SELECT pg_advisory_lock({MigrationLockKey.Sql})) AS locked", holder);
        var holderPid = (int)(await take.ExecuteScalarAsync())!;

        var (exitCode, report) = await RunAsync(database, folder, planOnly: false, lockTimeout: TimeSpan.FromSeconds(1));

        Assert.Equal((ExitCodes.LockTimeout, MigrationOutcome.LockTimeout), (exitCode, report.Outcome));
        Assert.Equal(holderPid, report.Failure?.LockHolderPid);
        Assert.Equal($"lock held by pid {holderPid} (lock-holder)", report.Failure?.Summary);
        Assert.True(report.LockWaitMs >= 1000, $"waited {report.LockWaitMs} ms");
        Assert.Null(report.SchemaVersion);
    }

    [Fact]
    public async Task A_configuration_error_is_reported_naming_the_key()
    {
        using var folder = new MigrationFolder();

        var (exitCode, _) = await WorkerProcess.RunWithEnvironmentAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__appdb"] = "Host=127.0.0.1;Database=unused",
            [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.PlanOnlyKey)] = "maybe",
            [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.ReportDirectoryKey)] = folder.Path,
        });

        var report = await ContractsJson.ReadReportAsync(MigrationReportFile.PathIn(folder.Path, null), TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Configuration, exitCode);
        Assert.Equal((MigrationOutcome.ConfigurationError, ExitCodes.Configuration), (report?.Outcome, report?.ExitCode));
        Assert.Equal($"Configuration error: {WorkerConfiguration.PlanOnlyKey} is 'maybe': write true or false.", report?.Failure?.Reason);
    }

    [Fact]
    public async Task The_report_is_written_to_the_file_named_after_the_replicas_service_instance_id()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Write("0001_first.sql", First);
        using var reports = new MigrationFolder();

        var (exitCode, output) = await WorkerProcess.RunWithEnvironmentAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__appdb"] = database,
            [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.DirectoryKey)] = folder.Path,
            [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.ReportDirectoryKey)] = reports.Path,
            [MigrationReportFile.ResourceAttributesKey] = "service.name=migrations,service.instance.id=migrations-x7k2p",
        });

        Assert.True(exitCode == ExitCodes.Success, output);
        Assert.Equal(["migrations-x7k2p.json"], Directory.GetFiles(reports.Path).Select(Path.GetFileName));
    }

    private async Task<(string Database, int ExitCode, MigrationReport Report)> PlanOfTwoFilesAsync()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Write("0001_first.sql", First).Write("0002_second.sql", Second);
        var (exitCode, report) = await RunAsync(database, folder, planOnly: true);
        return (database, exitCode, report);
    }

    private async Task<(int ExitCode, MigrationReport Report)> RunWithABrokenSecondFileAsync()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Write("0001_first.sql", First)
            .Write("0002_broken.sql", "-- creates a table, then fails\nCREATE TABLE public.partial (id int);\n\nSELECT * FROM public.does_not_exist;\n");
        return await RunAsync(database, folder, planOnly: false);
    }

    private static async Task<(int ExitCode, MigrationReport Report)> RunAsync(string database, MigrationFolder folder, bool planOnly, TimeSpan? lockTimeout = null)
    {
        using var reports = new MigrationFolder();
        var (exitCode, output) = await WorkerProcess.RunWithEnvironmentAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__appdb"] = database,
            [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.DirectoryKey)] = folder.Path,
            ["Migrations__LockTimeout"] = (lockTimeout ?? TimeSpan.FromMinutes(1)).ToString(),
            [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.PlanOnlyKey)] = planOnly ? "true" : "false",
            [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.ReportDirectoryKey)] = reports.Path,
        });
        var report = await ContractsJson.ReadReportAsync(MigrationReportFile.PathIn(reports.Path, null), TestContext.Current.CancellationToken);
        Assert.True(report is not null, $"no report; exit code {exitCode}: {output}");
        Assert.Equal(exitCode, report.ExitCode);
        return (exitCode, report);
    }

    private static (MigrationProblemKind, string, string) Arrange(Action arrange, MigrationProblemKind kind, string subject, string summary)
    {
        arrange();
        return (kind, subject, summary);
    }
}
