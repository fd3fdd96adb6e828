using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Migrations;

/// <summary>
/// Migrations:SeedsDirectory: the seeds run once, in one transaction, on a database the worker created, after a run
/// that left every migration applied.
/// </summary>
public sealed class SeedTests(PostgresFixture postgres) : IDisposable
{
    private const string Items = "CREATE TABLE public.items (id int PRIMARY KEY, name text NOT NULL);\n";
    private const string Broken = "-- item 1 is there already\n\n\nINSERT INTO public.items VALUES (1, 'again');\n";
    private readonly MigrationFolder _migrations = new MigrationFolder().Write("0001_items.sql", Items);
    private readonly MigrationFolder _seeds = new MigrationFolder()
        .Write("0001_items.sql", "INSERT INTO public.items VALUES (1, 'one'), (2, 'two');\n")
        .Write("0002_more.sql", "INSERT INTO public.items VALUES (3, 'three');\n");

    [Fact]
    public async Task Seeds_run_once_on_a_new_database()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        var result = await RunAsync(database);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        Assert.Equal(["0001_items.sql", "0002_more.sql"], result.Seeded);
        Assert.Equal(3L, await CountAsync(database, "public.items"));
        Assert.Equal(["0001_items.sql", "0002_more.sql"], await SeedHistoryAsync(database));
    }

    [Fact]
    public async Task A_second_run_does_not_seed_again()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        await RunAsync(database);

        var second = await RunAsync(database);

        Assert.True(second.ExitCode == ExitCodes.Success, second.Error);
        Assert.Empty(second.Seeded);
        Assert.Equal(3L, await CountAsync(database, "public.items"));
    }

    [Fact]
    public async Task Workers_started_at_once_seed_a_new_database_once()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => RunAsync(database))));

        Assert.All(results, r => Assert.True(r.ExitCode == ExitCodes.Success, r.Error));
        Assert.Single(results, r => r.Seeded.Count > 0);
        Assert.Equal(3L, await CountAsync(database, "public.items"));
    }

    [Fact]
    public async Task A_failing_seed_is_reported_where_it_failed()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _seeds.Write("0002_more.sql", Broken);
        using var reports = new MigrationFolder();

        var (exitCode, output) = await WorkerProcess.RunWithEnvironmentAsync(WorkerEnvironment(database, reports.Path));

        var report = await ContractsJson.ReadReportAsync(MigrationReportFile.PathIn(reports.Path, null), TestContext.Current.CancellationToken);
        Assert.True(exitCode == ExitCodes.SeedFailed, output);
        Assert.Equal((MigrationOutcome.SeedFailed, ExitCodes.SeedFailed), (report?.Outcome, report?.ExitCode));
        var failure = Assert.IsType<MigrationFailure>(report?.Failure);
        Assert.Equal(("seed 0002_more.sql, 23505, line 4", "0002_more.sql", "23505", 4), (failure.Summary, failure.File, failure.SqlState, failure.Line));
        Assert.StartsWith("Seed 0002_more.sql failed, and every seed was rolled back: SQLSTATE 23505", failure.Reason, StringComparison.Ordinal);
        Assert.Contains($"SeedFailed: {failure.Reason}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_seed_leaves_the_migrations_applied()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _seeds.Write("0002_more.sql", Broken);

        var result = await RunAsync(database);

        Assert.Equal(ExitCodes.SeedFailed, result.ExitCode);
        Assert.Equal(["0001_items.sql"], result.AppliedFiles);
        Assert.Equal("0001", result.SchemaVersion);
        Assert.Equal([(1L, 1L)], await Catalog.HistoryAsync(database));
    }

    [Fact]
    public async Task A_failing_seed_rolls_back_every_seed()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _seeds.Write("0002_more.sql", Broken);

        await RunAsync(database);

        Assert.Equal(0L, await CountAsync(database, "public.items"));
        Assert.Empty(await SeedHistoryAsync(database));
    }

    [Fact]
    public async Task A_database_whose_seeding_failed_is_seeded_by_the_next_run()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _seeds.Write("0002_more.sql", Broken);
        await RunAsync(database);
        _seeds.Write("0002_more.sql", "INSERT INTO public.items VALUES (3, 'three');\n");

        var retry = await RunAsync(database);

        Assert.True(retry.ExitCode == ExitCodes.Success, retry.Error);
        Assert.Equal((MigrationOutcome.UpToDate, 2), (retry.Outcome, retry.Seeded.Count));
        Assert.Equal(3L, await CountAsync(database, "public.items"));
    }

    [Fact]
    public async Task A_seed_that_cannot_run_as_written_fails_the_seeding_before_any_seed_runs()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _seeds.Write("0002_more.sql", "-- devlauncher: no-transaction\nINSERT INTO public.items VALUES (3, 'three');\n");

        var result = await RunAsync(database);

        Assert.Equal((ExitCodes.SeedFailed, "seed 0002_more.sql cannot run"), (result.ExitCode, result.Failure?.Summary));
        Assert.Contains("0002_more.sql line 1: -- devlauncher: no-transaction is for migrations", result.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync(database, "public.items"));
    }

    [Fact]
    public async Task Seeds_do_not_run_after_a_migration_failed()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _migrations.Write("0002_broken.sql", "SELECT * FROM public.does_not_exist;\n");

        var result = await RunAsync(database);

        Assert.Equal((ExitCodes.MigrationFailed, 0), (result.ExitCode, result.Seeded.Count));
        Assert.Empty(await SeedHistoryAsync(database));
    }

    [Fact]
    public async Task A_database_made_before_seeds_existed_is_never_seeded()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        await InProcessWorker.RunAsync(database, _migrations.Path, cancellationToken: TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(database, "DROP TABLE devlauncher.seed_history");

        var result = await RunAsync(database);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        Assert.Empty(result.Seeded);
        Assert.Equal(0L, await CountAsync(database, "public.items"));
        Assert.False(await Sql.ScalarAsync<bool>(database, "SELECT to_regclass('devlauncher.seed_history') IS NOT NULL"));
    }

    [Fact]
    public async Task A_plan_never_seeds()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        await InProcessWorker.RunAsync(database, _migrations.Path, cancellationToken: TestContext.Current.CancellationToken);

        var plan = await InProcessWorker.RunAsync(database, _migrations.Path, seedsDirectory: _seeds.Path, planOnly: true,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((MigrationOutcome.Planned, 0), (plan.Outcome, plan.Seeded.Count));
        Assert.Equal(0L, await CountAsync(database, "public.items"));
        Assert.Empty(await SeedHistoryAsync(database));
    }

    [Fact]
    public async Task The_report_lists_the_seeds_the_run_ran()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        using var reports = new MigrationFolder();

        var (exitCode, output) = await WorkerProcess.RunWithEnvironmentAsync(WorkerEnvironment(database, reports.Path));

        var report = await ContractsJson.ReadReportAsync(MigrationReportFile.PathIn(reports.Path, null), TestContext.Current.CancellationToken);
        Assert.True(exitCode == ExitCodes.Success, output);
        Assert.Equal(["0001_items.sql", "0002_more.sql"], report?.Seeded);
    }

    public void Dispose()
    {
        _migrations.Dispose();
        _seeds.Dispose();
    }

    private Task<MigrationRunResult> RunAsync(string database) =>
        InProcessWorker.RunAsync(database, _migrations.Path, seedsDirectory: _seeds.Path, cancellationToken: TestContext.Current.CancellationToken);

    private Dictionary<string, string?> WorkerEnvironment(string database, string reports) => new()
    {
        ["ConnectionStrings__appdb"] = database,
        [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.DirectoryKey)] = _migrations.Path,
        [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.SeedsDirectoryKey)] = _seeds.Path,
        [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.ReportDirectoryKey)] = reports,
    };

    private static Task<long> CountAsync(string database, string table) => Sql.ScalarAsync<long>(database, $"SELECT count(*) FROM {table}");

    private static async Task<IReadOnlyList<string>> SeedHistoryAsync(string database) =>
        (await Sql.ScalarAsync<string[]>(database, "SELECT coalesce(array_agg(file ORDER BY file), '{}') FROM devlauncher.seed_history")).ToList();
}
