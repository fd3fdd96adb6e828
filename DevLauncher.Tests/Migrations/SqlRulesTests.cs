using System.Text;
using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Migrations;

/// <summary>
/// What the worker refuses before anything is applied (exit 5, naming the file and the line) and what fails at run time
/// (exit 4, rolled back, naming the file and the line).
/// </summary>
public sealed class SqlRulesTests(PostgresFixture postgres)
{
    private const string First = "CREATE TABLE public.first (id int);\n";

    public static TheoryData<string, string, string> TransactionControl => new()
    {
        { "BEGIN;\nCREATE TABLE public.t (id int);\nCOMMIT;\n", "line 1", "BEGIN" },
        { "CREATE TABLE public.t (id int);\nSTART TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nUPDATE public.t SET id = 1;\nEND;\n", "line 2", "START TRANSACTION" },
        { "CREATE TABLE public.t (id int);\n\nCOMMIT;\n", "line 3", "COMMIT" },
        { "CREATE TABLE public.t (id int);\nrollback;\n", "line 2", "ROLLBACK" },
        { "-- devlauncher: no-transaction\nCREATE TABLE public.t (id int);\nBEGIN;\nINSERT INTO public.t VALUES (1);\n", "line 3", "never" },
    };

    [Theory]
    [MemberData(nameof(TransactionControl))]
    public async Task A_file_that_controls_its_own_transaction_is_refused_before_anything_is_applied(string sql, string line, string word)
    {
        var (result, database) = await RunAsync(("0001_first.sql", First), ("0002_own_transaction.sql", sql));

        Assert.True(result.ExitCode == ExitCodes.ValidationFailed, result.Error);
        Assert.Contains($"0002_own_transaction.sql {line}", result.Error, StringComparison.Ordinal);
        Assert.Contains(word, result.Error, StringComparison.Ordinal);
        await AssertNothingAppliedAsync(database);
    }

    public static TheoryData<string, string> RefusedCopy => new()
    {
        { "COPY public.first TO STDOUT;\n", "COPY ... TO" },
        { "COPY public.first FROM '/etc/hostname';\n", "server" },
        { "COPY public.first FROM PROGRAM 'true';\n", "server" },
    };

    [Theory]
    [MemberData(nameof(RefusedCopy))]
    public async Task COPY_other_than_FROM_stdin_is_refused_before_anything_is_applied(string sql, string reason)
    {
        var (result, database) = await RunAsync(("0001_first.sql", First), ("0002_copy.sql", "\n" + sql));

        Assert.True(result.ExitCode == ExitCodes.ValidationFailed, result.Error);
        Assert.Contains("0002_copy.sql line 2", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        await AssertNothingAppliedAsync(database);
    }

    public static TheoryData<string, string> MetaCommands => new()
    {
        { "\\restrict AbCdEf123\nCREATE TABLE public.t (id int);\n", "\\restrict" },
        { "CREATE TABLE public.t (id int);\n  \\connect other\n", "\\connect" },
        { "CREATE TABLE public.t (v text DEFAULT 'no \\ here');\n\\i other.sql\n", "\\i" },
    };

    [Theory]
    [MemberData(nameof(MetaCommands))]
    public async Task A_psql_meta_command_is_refused_before_anything_is_applied(string sql, string command)
    {
        var (result, database) = await RunAsync(("0001_first.sql", First), ("0002_meta.sql", sql));

        Assert.True(result.ExitCode == ExitCodes.ValidationFailed, result.Error);
        Assert.Contains($"0002_meta.sql line {(command == "\\restrict" ? 1 : 2)}", result.Error, StringComparison.Ordinal);
        Assert.Contains($"psql meta-command {command} is not supported", result.Error, StringComparison.Ordinal);
        await AssertNothingAppliedAsync(database);
    }

    [Fact]
    public async Task Invalid_UTF8_is_refused_with_its_byte_offset_before_anything_is_applied()
    {
        var bad = Encoding.UTF8.GetBytes("CREATE TABLE public.t (v text DEFAULT 'caf").Concat(new byte[] { 0xE9, (byte)'\'', (byte)')', (byte)';' }).ToArray();
        using var folder = new MigrationFolder().Write("0001_first.sql", First).WriteBytes("0002_latin1.sql", bad);
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        var result = await InProcessWorker.RunAsync(database, folder.Path);

        Assert.True(result.ExitCode == ExitCodes.ValidationFailed, result.Error);
        Assert.Contains("0002_latin1.sql is not valid UTF-8: invalid byte 0xE9 at byte offset 42 (line 1)", result.Error, StringComparison.Ordinal);
        await AssertNothingAppliedAsync(database);
    }

    private const string BadCopyRow = "CREATE TABLE public.seed (id int, name text);\nCOPY public.seed FROM stdin;\n1\tone\ntwo\tbad\n\\.\n";
    private const string CommitInDo = "CREATE TABLE public.partial (id int);\nDO $$ BEGIN INSERT INTO public.partial VALUES (1); COMMIT; END $$;\n";
    private const string FailingBlock = "-- devlauncher: no-transaction\nCREATE TABLE public.kept (id int);\nBEGIN;\nCREATE TABLE public.undone (id int);\nSELECT 1/0;\nCOMMIT;\n";

    [Fact]
    public async Task A_bad_COPY_row_fails_its_file_naming_the_rows_line()
    {
        var (result, _) = await RunAsync(("0001_first.sql", First), ("0002_seed.sql", BadCopyRow));

        Assert.True(result.ExitCode == ExitCodes.MigrationFailed, result.Error);
        Assert.Contains("Migration 0002_seed.sql failed and was rolled back: SQLSTATE 22P02", result.Error, StringComparison.Ordinal);
        Assert.Contains("(line 4, row 2 of the COPY data)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_COPY_row_rolls_its_file_back() =>
        await AssertRolledBackAsync((await RunAsync(("0001_first.sql", First), ("0002_seed.sql", BadCopyRow))).Database, "public.seed");

    [Fact]
    public async Task COMMIT_inside_a_DO_block_of_a_transactional_file_fails_the_file()
    {
        var (result, _) = await RunAsync(("0001_first.sql", First), ("0002_do_commit.sql", CommitInDo));

        Assert.True(result.ExitCode == ExitCodes.MigrationFailed, result.Error);
        Assert.Contains("Migration 0002_do_commit.sql failed and was rolled back: SQLSTATE 2D000", result.Error, StringComparison.Ordinal);
        Assert.Contains("(in the statement at line 2)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task COMMIT_inside_a_DO_block_of_a_transactional_file_rolls_the_file_back() =>
        await AssertRolledBackAsync((await RunAsync(("0001_first.sql", First), ("0002_do_commit.sql", CommitInDo))).Database, "public.partial");

    [Fact]
    public async Task A_failure_inside_a_no_transaction_files_own_block_rolls_back_that_block_alone()
    {
        var (result, database) = await RunAsync(("0001_first.sql", First), ("0002_block.sql", FailingBlock));

        Assert.True(result.ExitCode == ExitCodes.MigrationFailed, result.Error);
        Assert.Contains("Migration 0002_block.sql failed and was stopped: SQLSTATE 22012", result.Error, StringComparison.Ordinal);
        Assert.True(await Sql.ScalarAsync<bool>(database, "SELECT to_regclass('public.kept') IS NOT NULL"));
        Assert.False(await Sql.ScalarAsync<bool>(database, "SELECT to_regclass('public.undone') IS NOT NULL"));
        Assert.Equal([(1L, 1L)], await Catalog.HistoryAsync(database));
    }

    [Fact]
    public async Task A_failure_inside_a_no_transaction_files_own_block_frees_the_lock()
    {
        var (_, database) = await RunAsync(("0001_first.sql", First), ("0002_block.sql", FailingBlock));

        Assert.Equal(0L, await Sql.ScalarAsync<long>(database,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    }

    private async Task<(MigrationRunResult Result, string Database)> RunAsync(params (string Name, string Sql)[] files)
    {
        using var folder = new MigrationFolder();
        foreach (var (name, sql) in files)
        {
            folder.Write(name, sql);
        }

        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        return (await InProcessWorker.RunAsync(database, folder.Path), database);
    }

    /// <summary>The first file applied and recorded; of the failed second one, neither its table nor a history row.</summary>
    private static async Task AssertRolledBackAsync(string database, string table)
    {
        Assert.False(await Sql.ScalarAsync<bool>(database, $"SELECT to_regclass('{table}') IS NOT NULL"), $"{table} survived");
        Assert.Equal([(1L, 1L)], await Catalog.HistoryAsync(database));
    }

    /// <summary>Not even the valid first file: every pending file is checked before the first one runs.</summary>
    private static async Task AssertNothingAppliedAsync(string database)
    {
        Assert.False(await Sql.ScalarAsync<bool>(database, "SELECT to_regclass('public.first') IS NOT NULL"), "the first file was applied");
        Assert.Empty(await Catalog.HistoryAsync(database));
    }
}
