using DevLauncher.Migrations.Runner;

namespace DevLauncher.Tests.Migrations;

public sealed class SqlStatementSplitterTests
{
    [Fact]
    public void Semicolons_inside_quotes_comments_and_dollar_bodies_do_not_split()
    {
        const string sql = """
            -- a comment; with a semicolon
            CREATE TABLE t (v text DEFAULT 'a;b', "odd;name" int);
            /* block; /* nested; */ still comment; */
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;
            INSERT INTO t (v) VALUES (E'it\'s; fine'), ('doubled '';'' quote');
            """;

        var statements = SqlStatementSplitter.Split(sql);

        Assert.Equal(3, statements.Count);
        Assert.StartsWith("-- a comment; with a semicolon\nCREATE TABLE t", statements[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("$body$ BEGIN RETURN 1; END; $body$", statements[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("('doubled '';'' quote')", statements[2].Text, StringComparison.Ordinal);
        Assert.All(statements, s => Assert.Equal(s.Text, sql.Substring(s.Offset, s.Text.Length)));
    }

    [Fact]
    public void Positional_parameters_are_not_dollar_quotes_and_trailing_comments_are_not_statements()
    {
        var statements = SqlStatementSplitter.Split("SELECT $1, a$b$c FROM x; SELECT 2;\n-- the end\n");

        Assert.Equal(["SELECT $1, a$b$c FROM x", "SELECT 2"], statements.Select(s => s.Text));
    }
}
