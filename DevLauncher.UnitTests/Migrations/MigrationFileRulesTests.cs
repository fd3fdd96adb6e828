using System.Text;
using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;

namespace DevLauncher.UnitTests.Migrations;

/// <summary>The rules a file must meet, checked on the text alone: no database, no process.</summary>
public sealed class MigrationFileRulesTests
{
    [Theory]
    [InlineData("BEGIN;\nSELECT 1;\nCOMMIT;", 1, "BEGIN controls the transaction")]
    [InlineData("SELECT 1;\nstart transaction;", 2, "START TRANSACTION controls the transaction")]
    [InlineData("SELECT 1;\nEND;", 2, "END controls the transaction")]
    [InlineData("SELECT 1;\nABORT;", 2, "ABORT controls the transaction")]
    public void Transaction_control_in_a_transactional_file_is_refused_at_its_line(string sql, int line, string message)
    {
        var script = MigrationScriptSource.Parse("0001_x.sql", Encoding.UTF8.GetBytes(sql));

        Assert.StartsWith($"0001_x.sql line {line}: {message}", script.Problem, StringComparison.Ordinal);
        Assert.Contains("-- devlauncher: no-transaction", script.Problem, StringComparison.Ordinal);
        Assert.Empty(script.Statements);
    }

    [Theory]
    [InlineData("SAVEPOINT a;\nSELECT 1;\nROLLBACK TO SAVEPOINT a;\nRELEASE a;")]
    [InlineData("DO $$ BEGIN COMMIT; END $$;")]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;")]
    [InlineData("SELECT 'BEGIN'; SELECT \"end\" FROM t;")]
    public void Transaction_words_that_do_not_control_the_transaction_are_allowed(string sql)
    {
        var script = MigrationScriptSource.Parse("0001_x.sql", Encoding.UTF8.GetBytes(sql));

        Assert.Null(script.Problem);
    }

    [Theory]
    [InlineData("BEGIN;\nSELECT 1;\nCOMMIT;\nSTART TRANSACTION;\nSELECT 2;\nROLLBACK;\nBEGIN;\nCOMMIT AND CHAIN;\nEND;", null)]
    [InlineData("SELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT AND CHAIN;", "line 3: BEGIN opens a transaction block that is never committed")]
    [InlineData("SELECT 1;\nCOMMIT PREPARED 'x';", "line 3: COMMIT PREPARED (two-phase commit) is not supported")]
    public void A_no_transaction_file_may_have_transaction_blocks_that_it_closes(string body, string? problem)
    {
        var script = MigrationScriptSource.Parse("0001_x.sql", Encoding.UTF8.GetBytes("-- devlauncher: no-transaction\n" + body));

        if (problem is null)
        {
            Assert.Null(script.Problem);
        }
        else
        {
            Assert.StartsWith($"0001_x.sql {problem}", script.Problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("COPY t TO STDOUT;", "COPY ... TO writes data out")]
    [InlineData("COPY (SELECT a FROM t) TO '/tmp/x';", "COPY ... TO writes data out")]
    [InlineData("COPY t FROM '/tmp/x' WITH (FORMAT csv);", "COPY ... FROM a file or a program")]
    [InlineData("COPY t (a) FROM PROGRAM 'cat /tmp/x';", "COPY ... FROM a file or a program")]
    public void COPY_other_than_FROM_stdin_is_refused(string sql, string message)
    {
        var script = MigrationScriptSource.Parse("0001_x.sql", Encoding.UTF8.GetBytes("SELECT 1;\n" + sql));

        Assert.StartsWith($"0001_x.sql line 2: {message}", script.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_UTF8_is_refused_naming_where_it_is()
    {
        byte[] bad = [.. Encoding.UTF8.GetBytes("SELECT 1;\nSELECT 'x"), 0xC3, 0x28, .. "';"u8];

        var script = MigrationScriptSource.Parse("0002_bad.sql", bad);

        Assert.StartsWith("0002_bad.sql is not valid UTF-8: invalid byte 0xC3 at byte offset 19 (line 2)", script.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_SQL()
    {
        var withBom = MigrationScriptSource.Parse("0001_bom.sql", [0xEF, 0xBB, 0xBF, .. "SELECT 'é';"u8]);

        Assert.Null(withBom.Problem);
        Assert.Equal("SELECT 'é'", Assert.Single(withBom.Statements).Text);
    }

    [Fact]
    public void A_truncated_sequence_at_the_end_of_the_file_is_invalid_too()
    {
        Assert.Equal(9, MigrationFileDecoder.InvalidByte([.. "SELECT 1;"u8, 0xE2, 0x82]));
        Assert.Null(MigrationFileDecoder.InvalidByte("SELECT '€';"u8));
    }

    [Theory]
    [InlineData("0002_name.SQL")]
    [InlineData("0002_name.Sql")]
    [InlineData("0002_name.sql")]
    public void The_extension_is_matched_in_any_case(string fileName) =>
        Assert.Equal(2, MigrationScriptSource.Parse(fileName, "SELECT 1;"u8.ToArray()).Version);

    [Theory]
    [InlineData("name.SQL")]
    [InlineData("0002_name.sql.bak")]
    public void A_misnamed_file_is_refused(string fileName) =>
        Assert.Throws<MigrationValidationException>(() => MigrationScriptSource.Parse(fileName, "SELECT 1;"u8.ToArray()));

    [Fact]
    public void An_applied_file_with_a_problem_is_not_reported_but_a_pending_one_is()
    {
        var applied = MigrationScriptSource.Parse("0001_old.sql", "BEGIN; SELECT 1; COMMIT;"u8.ToArray());
        var pending = MigrationScriptSource.Parse("0002_new.sql", "\\i x.sql"u8.ToArray());
        var history = new AppliedMigration(1, "old", "0001_old.sql", applied.Checksum, DateTimeOffset.UnixEpoch, "test", 1);

        var problems = MigrationHistory.Validate([applied, pending], [history]);

        Assert.Equal([new MigrationProblem(MigrationProblemKind.InvalidFile, "0002_new.sql", pending.Problem!)], problems);
    }
}
