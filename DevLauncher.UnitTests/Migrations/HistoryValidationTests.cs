using System.Text;
using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;

namespace DevLauncher.UnitTests.Migrations;

/// <summary>What the worker checks between the files and the history before it applies anything.</summary>
public sealed class HistoryValidationTests
{
    private static readonly MigrationScript First = Script("0001_first.sql", "CREATE TABLE a (id int);");
    private static readonly MigrationScript Second = Script("0002_second.sql", "CREATE TABLE b (id int);");
    private static readonly MigrationScript Third = Script("0003_third.sql", "CREATE TABLE c (id int);");

    [Fact]
    public void Files_that_match_the_history_with_new_ones_on_top_are_fine()
    {
        Assert.Empty(MigrationHistory.Validate([First, Second, Third], [Applied(First), Applied(Second)]));
        Assert.Empty(MigrationHistory.Validate([First], []));
    }

    [Fact]
    public void A_changed_applied_file_is_drift_naming_the_file()
    {
        var edited = Script("0002_second.sql", "CREATE TABLE b (id bigint);");

        var problem = Assert.Single(MigrationHistory.Validate([First, edited], [Applied(First), Applied(Second)]));

        Assert.Equal((MigrationProblemKind.Drift, "0002_second.sql"), (problem.Kind, problem.Subject));
        Assert.StartsWith("Drift: 0002_second.sql was changed after it was applied", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_in_the_newest_applied_file_offers_to_undo_it_with_the_AppHost_command()
    {
        var edited = Script("0002_second.sql", "CREATE TABLE b (id bigint);");

        var problem = Assert.Single(MigrationHistory.Validate([First, edited], [Applied(First), Applied(Second)]));

        Assert.EndsWith(
            "restore it and add a new one. It is the newest applied migration: while you are still writing it, you can undo it instead " +
            "(the AppHost's \"Undo last migration\" command restores the database to its state before 0002_second.sql), then apply it again.",
            problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_in_an_older_file_says_to_restore_it_not_to_undo_it()
    {
        var edited = Script("0001_first.sql", "CREATE TABLE a (id bigint);");

        var problem = Assert.Single(MigrationHistory.Validate([edited, Second], [Applied(First), Applied(Second)]));

        Assert.EndsWith("Never edit an applied migration: restore it and add a new one.", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Undo last migration", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_endings_alone_are_not_drift()
    {
        var windows = Script("0002_second.sql", "CREATE TABLE b (id int);".Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n");
        var unix = Script("0002_second.sql", "CREATE TABLE b (id int);\n");

        Assert.Equal(unix.Checksum, windows.Checksum);
    }

    [Fact]
    public void A_history_row_without_its_file_is_unknown()
    {
        var problem = Assert.Single(MigrationHistory.Validate([First], [Applied(First), Applied(Second)]));

        Assert.Equal((MigrationProblemKind.Unknown, "0002_second.sql"), (problem.Kind, problem.Subject));
        Assert.Contains("no file has that version", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pending_file_below_the_highest_applied_version_is_out_of_order()
    {
        var problem = Assert.Single(MigrationHistory.Validate([First, Second, Third], [Applied(First), Applied(Third)]));

        Assert.Equal((MigrationProblemKind.OutOfOrder, "0002_second.sql"), (problem.Kind, problem.Subject));
    }

    [Fact]
    public void A_broken_file_is_reported_only_while_it_is_still_to_be_applied()
    {
        var broken = Script("0002_second.sql", "BEGIN;\nCREATE TABLE b (id int);\nCOMMIT;");
        Assert.NotNull(broken.Problem);

        var pending = Assert.Single(MigrationHistory.Validate([First, broken], [Applied(First)]));
        Assert.Equal(MigrationProblemKind.InvalidFile, pending.Kind);
        Assert.Empty(MigrationHistory.Validate([First, broken], [Applied(First), Applied(broken)]));
    }

    [Theory]
    [InlineData("SELECT 1;", 0, 1)]
    [InlineData("SELECT 1;\nSELECT 2;\nSELECT x;", 20, 3)]
    [InlineData("a\r\nb\r\nc", 6, 3)]
    [InlineData("short", 500, 1)]
    public void An_offset_is_located_on_its_line(string sql, int offset, int line) =>
        Assert.Equal(line, SqlErrorLocation.LineOf(sql, offset));

    private static MigrationScript Script(string fileName, string sql) => MigrationScriptSource.Parse(fileName, Encoding.UTF8.GetBytes(sql));

    private static AppliedMigration Applied(MigrationScript script) =>
        new(script.Version, script.Description, script.FileName, script.Checksum, DateTimeOffset.UnixEpoch, "test", 1);
}
