using DevLauncher.Migrations.Engine;

namespace DevLauncher.UnitTests.Migrations;

public sealed class SqlStatementSplitterTests
{
    [Fact]
    public void A_semicolon_inside_quoted_or_commented_text_does_not_split()
    {
        const string sql = """
            -- a comment; with a semicolon
            CREATE TABLE t (v text DEFAULT 'a;b', "odd;name" int);
            /* block; /* nested; */ still comment; */
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;
            INSERT INTO t (v) VALUES (E'it\'s; fine'), ('doubled '';'' quote'), ($x$ $$;$$ $x$);
            """;

        var statements = SqlStatementSplitter.Split(sql);

        Assert.Equal(3, statements.Count);
        Assert.StartsWith("CREATE TABLE t", statements[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("$body$ BEGIN RETURN 1; END; $body$", statements[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("($x$ $$;$$ $x$)", statements[2].Text, StringComparison.Ordinal);
        Assert.All(statements, s => Assert.Equal(s.Text, sql.Substring(s.Offset, s.Text.Length)));
    }

    [Fact]
    public void Positional_parameters_are_not_dollar_quotes() =>
        Assert.Equal(["SELECT $1, a$b$c FROM x", "SELECT 2"], SqlStatementSplitter.Split("SELECT $1, a$b$c FROM x; SELECT 2;").Select(s => s.Text));

    [Fact]
    public void Bare_semicolons_or_a_trailing_comment_make_no_statement() =>
        Assert.Equal(["SELECT 1", "SELECT 2"], SqlStatementSplitter.Split("SELECT 1; ; SELECT 2;\n-- the end\n").Select(s => s.Text));

    [Fact]
    public void A_BEGIN_ATOMIC_body_with_CASE_is_one_statement_as_psql_reads_it()
    {
        const string sql = """
            CREATE OR REPLACE PROCEDURE p(v text) LANGUAGE sql
            BEGIN ATOMIC
              INSERT INTO log VALUES (v);
              INSERT INTO log VALUES (CASE WHEN v = '' THEN 'empty' ELSE v END);
            END;
            SELECT 'begin; end';
            """;

        var statements = SqlStatementSplitter.Split(sql);

        Assert.Equal(2, statements.Count);
        Assert.EndsWith("ELSE v END);\nEND", statements[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Semicolons_inside_parentheses_do_not_split_as_in_psql()
    {
        Assert.Single(SqlStatementSplitter.Split("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));"));
    }

    [Fact]
    public void The_lines_after_COPY_FROM_stdin_are_its_data_up_to_the_end_marker()
    {
        const string sql = "COPY t (a, b) FROM stdin;\n1\t-- not a comment; nor 'a quote\n\\N\t\\connect is data\n\\.\nSELECT 1;\nCOPY u FROM STDIN WITH (FORMAT csv);\nx,y\n";

        var statements = SqlStatementSplitter.Split(sql);

        Assert.Equal(["COPY t (a, b) FROM stdin", "SELECT 1", "COPY u FROM STDIN WITH (FORMAT csv)"], statements.Select(s => s.Text));
        Assert.Equal("1\t-- not a comment; nor 'a quote\n\\N\t\\connect is data\n", statements[0].CopyData!.Text);
        Assert.Equal(sql.IndexOf("1\t--", StringComparison.Ordinal), statements[0].CopyData!.Offset);
        Assert.Null(statements[1].CopyData);
        Assert.Equal("x,y\n", statements[2].CopyData!.Text);
    }

    [Fact]
    public void COPY_data_on_the_statements_own_line_is_refused()
    {
        var ex = Assert.Throws<SqlScriptException>(() => SqlStatementSplitter.Split("COPY t FROM stdin; 1\t2\n\\.\n"));
        Assert.Contains("rows start on the next line", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\connect other\nSELECT 1;", "\\connect", 0)]
    [InlineData("SELECT 1;\n   \\i file.sql\n", "\\i", 13)]
    [InlineData("SELECT 1 \\gset\n", "\\gset", 9)]
    public void A_backslash_in_the_code_itself_is_a_psql_meta_command(string sql, string command, int offset)
    {
        var ex = Assert.Throws<SqlScriptException>(() => SqlStatementSplitter.Split(sql));

        Assert.StartsWith($"psql meta-command {command} is not supported", ex.Message, StringComparison.Ordinal);
        Assert.Equal(offset, ex.Offset);
    }

    [Fact]
    public void A_backslash_inside_quoted_or_commented_text_is_not_a_meta_command()
    {
        var statements = SqlStatementSplitter.Split("SELECT 'a\\b', E'c\\'d', \"e\\f\" /* \\g */, $$\\h$$; -- \\i\n");

        Assert.Single(statements);
    }

    [Fact]
    public void Keywords_are_the_upper_cased_words_outside_parentheses() =>
        Assert.Equal(["COPY", "T", "(", "FROM", "STDIN"], Assert.Single(SqlStatementSplitter.Split("copy t (a, stdin) from stdin;\n\\.\n")).Keywords);

    [Fact]
    public void A_quoted_name_among_the_keywords_stays_as_written() =>
        Assert.Equal(["COPY", "\"from\"", "(", "FROM", "STDIN"], Assert.Single(SqlStatementSplitter.Split("copy \"from\" (a, stdin) from stdin;\n\\.\n")).Keywords);
}
