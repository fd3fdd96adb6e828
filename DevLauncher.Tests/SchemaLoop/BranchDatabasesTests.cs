using DevLauncher.SchemaLoop;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.SchemaLoop;

/// <summary>A database per branch on a real server: a branch's first start copies the database it follows.</summary>
public sealed class BranchDatabasesTests(PostgresFixture postgres)
{
    private const string Notes = "CREATE TABLE public.notes (id int PRIMARY KEY, body text NOT NULL);";
    private const string Tags = "CREATE TABLE public.tags (id int PRIMARY KEY);";
    private const string Other = "CREATE TABLE public.other (id int PRIMARY KEY);";

    [Fact]
    public async Task A_branchs_first_start_copies_the_branch_database_whose_history_is_the_longest_prefix_of_its_files()
    {
        await using var loop = new LoopServer(postgres);
        using var main = new MigrationFolder().Write("0001_notes.sql", Notes);
        using var feature = new MigrationFolder().Write("0001_notes.sql", Notes).Write("0002_tags.sql", Tags);
        var branches = new BranchDatabases(loop.Server, loop.BaseName, loop.Time);
        var mainDatabase = DevDatabaseNames.ForBranch(loop.BaseName, "main");
        await branches.EnsureAsync(mainDatabase, new GitHead("main", null), LoopServer.Files(main), CancellationToken.None);
        await loop.MigrateAsync(mainDatabase, main);
        await loop.ExecuteAsync(mainDatabase, "INSERT INTO public.notes VALUES (1, 'kept')");

        var featureDatabase = DevDatabaseNames.ForBranch(loop.BaseName, "feature/tags");
        var result = await branches.EnsureAsync(featureDatabase, new GitHead("feature/tags", null), LoopServer.Files(feature), CancellationToken.None);

        Assert.Equal(new BranchDatabaseResult(featureDatabase, Created: true, CopiedFrom: mainDatabase), result);
        Assert.Equal("kept", await loop.ScalarAsync<string>(featureDatabase, "SELECT body FROM public.notes WHERE id = 1"));
    }

    [Fact]
    public async Task A_branch_database_with_a_migration_this_branch_lacks_is_not_copied()
    {
        await using var loop = new LoopServer(postgres);
        using var other = new MigrationFolder().Write("0001_notes.sql", Notes).Write("0002_other.sql", Other);
        using var feature = new MigrationFolder().Write("0001_notes.sql", Notes).Write("0002_tags.sql", Tags);
        var branches = new BranchDatabases(loop.Server, loop.BaseName, loop.Time);
        var otherDatabase = DevDatabaseNames.ForBranch(loop.BaseName, "other");
        await branches.EnsureAsync(otherDatabase, new GitHead("other", null), LoopServer.Files(other), CancellationToken.None);
        await loop.MigrateAsync(otherDatabase, other);

        var result = await branches.EnsureAsync(DevDatabaseNames.ForBranch(loop.BaseName, "feature"), new GitHead("feature", null), LoopServer.Files(feature), CancellationToken.None);

        Assert.Null(result.CopiedFrom);
    }

    [Fact]
    public async Task A_branch_database_that_exists_is_left_as_it_is()
    {
        await using var loop = new LoopServer(postgres);
        using var main = new MigrationFolder().Write("0001_notes.sql", Notes);
        var branches = new BranchDatabases(loop.Server, loop.BaseName, loop.Time);
        var database = DevDatabaseNames.ForBranch(loop.BaseName, "main");
        await branches.EnsureAsync(database, new GitHead("main", null), LoopServer.Files(main), CancellationToken.None);
        await loop.MigrateAsync(database, main);
        await loop.ExecuteAsync(database, "INSERT INTO public.notes VALUES (1, 'mine')");

        var again = await branches.EnsureAsync(database, new GitHead("main", null), LoopServer.Files(main), CancellationToken.None);

        Assert.False(again.Created);
        Assert.Equal("mine", await loop.ScalarAsync<string>(database, "SELECT body FROM public.notes WHERE id = 1"));
    }

    [Fact]
    public async Task Deleting_the_databases_of_deleted_branches_drops_only_the_databases_of_branches_no_longer_in_the_checkout()
    {
        await using var loop = new LoopServer(postgres);
        var branches = new BranchDatabases(loop.Server, loop.BaseName, loop.Time);
        foreach (var branch in new[] { "main", "kept", "gone" })
        {
            await branches.EnsureAsync(DevDatabaseNames.ForBranch(loop.BaseName, branch), new GitHead(branch, null), [], CancellationToken.None);
        }

        var dropped = await branches.DeleteDatabasesOfDeletedBranchesAsync(DevDatabaseNames.ForBranch(loop.BaseName, "main"), new HashSet<string> { "kept" }, CancellationToken.None);

        Assert.Equal([DevDatabaseNames.ForBranch(loop.BaseName, "gone")], dropped);
        Assert.Equal([DevDatabaseNames.ForBranch(loop.BaseName, "kept"), DevDatabaseNames.ForBranch(loop.BaseName, "main")], (await loop.DatabasesAsync()).Order(StringComparer.Ordinal));
    }
}
