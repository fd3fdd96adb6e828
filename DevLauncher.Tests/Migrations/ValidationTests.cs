using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Migrations;

public sealed class ValidationTests(PostgresFixture postgres)
{
    private const string First = "CREATE TABLE public.first (id int);";
    private const string Second = "CREATE TABLE public.second (id int);";
    private const string Third = "CREATE TABLE public.third (id int);";

    [Fact]
    public async Task A_failing_migration_says_which_file_failed_at_which_line()
    {
        var (_, exitCode, output) = await RunWithABrokenSecondFileAsync();

        Assert.True(exitCode == ExitCodes.MigrationFailed, output);
        var error = Assert.Single(output.Split('\n'), l => l.Contains("Migration 0002_broken.sql", StringComparison.Ordinal));
        Assert.Contains("Migration 0002_broken.sql failed and was rolled back: SQLSTATE 42P01", error, StringComparison.Ordinal);
        Assert.True(error.Contains("(line 4,", StringComparison.Ordinal), error);
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_entirely()
    {
        var (database, _, _) = await RunWithABrokenSecondFileAsync();

        Assert.False(await Sql.ScalarAsync<bool>(database, "SELECT to_regclass('public.partial') IS NOT NULL"));
        Assert.Equal([(1L, 1L)], await Catalog.HistoryAsync(database));
    }

    private async Task<(string Database, int ExitCode, string Output)> RunWithABrokenSecondFileAsync()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Write("0001_first.sql", First)
            .Write("0002_broken.sql", "-- creates a table, then fails\nCREATE TABLE public.partial (id int);\n\nSELECT * FROM public.does_not_exist;\n");
        var (exitCode, output) = await new WorkerProcess(folder.Path).RunAsync(database);
        return (database, exitCode, output);
    }

    public static TheoryData<string> Problems => ["drift", "unknown", "out-of-order"];

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task Files_that_disagree_with_the_history_stop_the_run_before_it_applies_anything(string problem)
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Write("0001_first.sql", First).Write("0003_third.sql", Third);
        Assert.Equal(ExitCodes.Success, (await InProcessWorker.RunAsync(database, folder.Path)).ExitCode);

        var expected = problem switch
        {
            "drift" => Arrange(() => folder.Write("0001_first.sql", First + "\nALTER TABLE public.first ADD COLUMN sneaky int;")
                .Write("0004_fourth.sql", Second), "Drift: 0001_first.sql was changed after it was applied"),
            "unknown" => Arrange(() => folder.Delete("0003_third.sql").Write("0004_fourth.sql", Second),
                "Unknown migration: devlauncher.schema_history has version 0003 (0003_third.sql)"),
            _ => Arrange(() => folder.Write("0002_second.sql", Second),
                "Out of order: 0002_second.sql is not applied, but version 0003 is"),
        };
        var catalogBefore = await Catalog.SnapshotAsync(database);

        var (exitCode, output) = await new WorkerProcess(folder.Path).RunAsync(database);

        Assert.True(exitCode == ExitCodes.ValidationFailed, output);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Contains("Nothing was applied", output, StringComparison.Ordinal);
        Assert.Equal([(1L, 1L), (3L, 1L)], await Catalog.HistoryAsync(database));
        Assert.Equal(catalogBefore, await Catalog.SnapshotAsync(database));
    }

    [Fact]
    public async Task A_misnamed_file_stops_the_run_instead_of_being_skipped()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Write("0001_first.sql", First).Write("add_users.sql", Second);

        var (exitCode, output) = await new WorkerProcess(folder.Path).RunAsync(database);

        Assert.True(exitCode == ExitCodes.ValidationFailed, output);
        Assert.Contains("add_users.sql: a migration file must be named NNNN_description.sql", output, StringComparison.Ordinal);
        Assert.False(await Sql.ScalarAsync<bool>(database, "SELECT to_regclass('public.first') IS NOT NULL"));
    }

    [Fact]
    public async Task Missing_configuration_is_a_configuration_error_saying_what_to_set()
    {
        await using var worker = ChildProcess.StartDotnet(
            RepositoryPaths.ProjectDll("services/Migrations", "DevLauncher.Migrations"), new Dictionary<string, string?>());
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.True(exitCode == ExitCodes.Configuration, worker.Output);
        Assert.Contains("ConnectionStrings__appdb", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_configuration_error_naming_the_target()
    {
        var unreachable = "Host=127.0.0.1;Port=1;Database=appdb;Username=postgres;Password=x;Timeout=3";

        var (exitCode, output) = await new WorkerProcess().RunAsync(unreachable);

        Assert.True(exitCode == ExitCodes.Configuration, output);
        Assert.Contains("Cannot connect to database 'appdb' on 127.0.0.1:1", output, StringComparison.Ordinal);
    }

    private static string Arrange(Action arrange, string expectedMessage)
    {
        arrange();
        return expectedMessage;
    }
}
