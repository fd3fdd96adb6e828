using DevLauncher.SchemaLoop;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.SchemaLoop;

/// <summary>Templates on a real server: built once per set of files, and what Reset database copies.</summary>
public sealed class TemplatesTests(PostgresFixture postgres)
{
    private const string Notes = "CREATE TABLE public.notes (id int PRIMARY KEY, body text NOT NULL); INSERT INTO public.notes VALUES (1, 'seeded');";

    [Fact]
    public async Task A_reset_from_the_template_gives_the_database_a_migration_from_scratch_gives()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes).Write("0002_index.sql", "CREATE INDEX notes_body ON public.notes (body);");
        var (templates, template, database) = await TemplateAndMainAsync(loop, folder);
        await loop.ExecuteAsync(database, "CREATE TABLE public.scratch (id int)");
        var scratch = DevDatabaseNames.ForBranch(loop.BaseName, "scratch");
        await new BranchDatabases(loop.Server, loop.BaseName, loop.Time).EnsureAsync(scratch, new GitHead("scratch", null), [], CancellationToken.None);
        await loop.MigrateAsync(scratch, folder);

        await templates.ResetAsync(database, template, new DevDatabaseMetadata(DevDatabaseKind.Branch, loop.BaseName) { Branch = "main" }, CancellationToken.None);

        Assert.Equal(await Psql.DumpAsync(loop.ConnectionString(scratch)), await Psql.DumpAsync(loop.ConnectionString(database)));
    }

    [Fact]
    public async Task The_database_a_reset_replaced_is_put_aside_until_the_discarded_are_dropped()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes);
        var (templates, template, database) = await TemplateAndMainAsync(loop, folder);

        await templates.ResetAsync(database, template, new DevDatabaseMetadata(DevDatabaseKind.Branch, loop.BaseName) { Branch = "main" }, CancellationToken.None);

        Assert.Equal(1, await loop.Server.DropDiscardedAsync(loop.BaseName, CancellationToken.None));
        Assert.Equal(new[] { database, template }.Order(StringComparer.Ordinal), (await loop.DatabasesAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_template_is_found_for_the_files_it_was_built_from_only()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes);
        var templates = new Templates(loop.Server, loop.BaseName, loop.Time);

        var built = await templates.BuildAsync("f1", (connectionString, _) => MigrateAsync(connectionString, folder), CancellationToken.None);

        Assert.Equal((built, null), (await templates.FindAsync("f1", CancellationToken.None), await templates.FindAsync("f2", CancellationToken.None)));
    }

    [Fact]
    public async Task A_template_whose_build_fails_leaves_no_database_behind()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_broken.sql", "CREATE TABLE public.broken (id int REFERENCES nowhere);");
        var templates = new Templates(loop.Server, loop.BaseName, loop.Time);

        await Assert.ThrowsAnyAsync<Exception>(() => templates.BuildAsync("f1", (connectionString, _) => MigrateAsync(connectionString, folder), CancellationToken.None));

        Assert.Empty(await loop.DatabasesAsync());
    }

    /// <summary>The template built from <paramref name="folder"/>, and branch main's database, empty.</summary>
    private static async Task<(Templates Templates, string Template, string Database)> TemplateAndMainAsync(LoopServer loop, MigrationFolder folder)
    {
        var templates = new Templates(loop.Server, loop.BaseName, loop.Time);
        var template = await templates.BuildAsync("f1", (connectionString, _) => MigrateAsync(connectionString, folder), CancellationToken.None);
        var database = DevDatabaseNames.ForBranch(loop.BaseName, "main");
        await new BranchDatabases(loop.Server, loop.BaseName, loop.Time).EnsureAsync(database, new GitHead("main", null), [], CancellationToken.None);
        return (templates, template, database);
    }

    private static async Task MigrateAsync(string connectionString, MigrationFolder folder)
    {
        var result = await InProcessWorker.RunAsync(connectionString, folder.Path);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Error);
        }

        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}
