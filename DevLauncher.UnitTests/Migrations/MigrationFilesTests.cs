using DevLauncher.Migrations.Engine;

namespace DevLauncher.UnitTests.Migrations;

/// <summary>The files a run reads from its two folders, and the fingerprint that says when they changed.</summary>
public sealed class MigrationFilesTests : IDisposable
{
    private readonly string _migrations = NewFolder();
    private readonly string _seeds = NewFolder();

    public MigrationFilesTests()
    {
        Write(_migrations, "0001_first.sql", "CREATE TABLE a (id int);\n");
        Write(_migrations, "0002_second.sql", "CREATE TABLE b (id int);\n");
        Write(_seeds, "0001_demo.sql", "INSERT INTO a VALUES (1);\n");
    }

    public static TheoryData<string> Changes =>
    [
        "a migration added", "a migration removed", "a migration edited",
        "a seed added", "a seed removed", "a seed edited", "a seed renamed",
    ];

    [Theory]
    [MemberData(nameof(Changes))]
    public void The_fingerprint_changes_when_a_file_is_added_removed_or_edited(string change)
    {
        var before = Fingerprint();

        Change(change);

        Assert.NotEqual(before, Fingerprint());
    }

    [Fact]
    public void A_file_moved_from_the_seeds_to_the_migrations_changes_the_fingerprint()
    {
        Write(_seeds, "0003_third.sql", "CREATE TABLE c (id int);");
        var before = Fingerprint();

        File.Move(Path.Combine(_seeds, "0003_third.sql"), Path.Combine(_migrations, "0003_third.sql"));

        Assert.NotEqual(before, Fingerprint());
    }

    [Fact]
    public void The_fingerprint_stays_the_same_while_no_file_changes() =>
        Assert.Equal(Fingerprint(), Fingerprint());

    [Fact]
    public void Line_endings_leave_the_fingerprint_as_it_was()
    {
        var before = Fingerprint();

        Write(_migrations, "0001_first.sql", "CREATE TABLE a (id int);\r\n");

        Assert.Equal(before, Fingerprint());
    }

    [Fact]
    public void A_file_that_is_not_SQL_leaves_the_fingerprint_as_it_was()
    {
        var before = Fingerprint();

        Write(_seeds, "README.md", "not a seed");

        Assert.Equal(before, Fingerprint());
    }

    [Fact]
    public void Seeds_run_in_ordinal_file_name_order_whatever_the_case_of_their_extension()
    {
        foreach (var name in new[] { "b.sql", "A.SQL", "10_x.sql", "9_x.Sql" })
        {
            Write(_seeds, name, "SELECT 1;");
        }

        var files = MigrationFiles.Load(_migrations, _seeds);

        Assert.Equal(["0001_demo.sql", "10_x.sql", "9_x.Sql", "A.SQL", "b.sql"], files.Seeds.Select(s => s.FileName));
    }

    [Fact]
    public void Without_a_seeds_folder_there_are_no_seeds() =>
        Assert.Empty(MigrationFiles.Load(_migrations, null).Seeds);

    public void Dispose()
    {
        Directory.Delete(_migrations, recursive: true);
        Directory.Delete(_seeds, recursive: true);
    }

    private string Fingerprint() => MigrationFiles.Load(_migrations, _seeds).Fingerprint;

    private void Change(string change)
    {
        switch (change)
        {
            case "a migration added": Write(_migrations, "0003_third.sql", "CREATE TABLE c (id int);"); break;
            case "a migration removed": File.Delete(Path.Combine(_migrations, "0002_second.sql")); break;
            case "a migration edited": Write(_migrations, "0002_second.sql", "CREATE TABLE b (id bigint);\n"); break;
            case "a seed added": Write(_seeds, "0002_more.sql", "INSERT INTO a VALUES (2);"); break;
            case "a seed removed": File.Delete(Path.Combine(_seeds, "0001_demo.sql")); break;
            case "a seed edited": Write(_seeds, "0001_demo.sql", "INSERT INTO a VALUES (3);\n"); break;
            default: File.Move(Path.Combine(_seeds, "0001_demo.sql"), Path.Combine(_seeds, "0001_sample.sql")); break;
        }
    }

    private static string NewFolder() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"devlauncher-files-{Guid.NewGuid():N}")).FullName;

    private static void Write(string folder, string fileName, string sql) => File.WriteAllText(Path.Combine(folder, fileName), sql);
}
