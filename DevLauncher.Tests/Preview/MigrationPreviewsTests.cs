using DevLauncher.Migrations.Engine;
using DevLauncher.SchemaLoop;
using DevLauncher.Tests.Infrastructure;
using DevLauncher.Tests.SchemaLoop;

namespace DevLauncher.Tests.Preview;

/// <summary>
/// Preview before Apply on a real server, on a branch database with rows: what PostgreSQL reports for each statement
/// run on a copy, and the database itself left as it was.
/// </summary>
public sealed class MigrationPreviewsTests(PostgresFixture postgres)
{
    /// <summary>1000 notes; every fourth has no body, so 750 bodies.</summary>
    private const string Notes = """
        CREATE TABLE public.notes (id int PRIMARY KEY, n int NOT NULL, body text);
        INSERT INTO public.notes SELECT i, i, CASE WHEN i % 4 = 0 THEN NULL ELSE 'note ' || i END FROM generate_series(1, 1000) i;
        """;

    [Fact]
    public async Task Set_not_null_over_existing_nulls_fails_with_its_file_and_line_and_the_database_is_unchanged()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes);
        var database = await BranchDatabaseAsync(loop, folder);
        var before = await Psql.DumpAsync(loop.ConnectionString(database), includeHistory: true);
        folder.Write("0002_tags.sql", "CREATE TABLE public.tags (id int PRIMARY KEY);")
            .Write("0003_body_required.sql", "-- every note has a body\nALTER TABLE public.notes\n    ALTER COLUMN body SET NOT NULL;\n");

        var preview = await PreviewAsync(loop, database, folder);

        Assert.True(preview.Failed);
        var failure = preview.Migrations[1].Failure!;
        Assert.Equal(("0003_body_required.sql", "23502", 2), (failure.File, failure.SqlState, failure.Line));
        Assert.StartsWith("Migration 0003_body_required.sql failed and was rolled back: SQLSTATE 23502:", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await Psql.DumpAsync(loop.ConnectionString(database), includeHistory: true));
    }

    [Fact]
    public async Task An_alter_column_type_that_rewrites_the_table_is_reported_as_a_rewrite_under_access_exclusive()
    {
        var preview = await PreviewPendingAsync(("0002_wider_n.sql", "ALTER TABLE public.notes ALTER COLUMN n TYPE bigint;"));

        var statement = Assert.Single(Assert.Single(preview.Migrations).Statements);

        Assert.Equal([new TableRewrite("public.notes", 1000)], statement.Rewrites);
        Assert.Equal(("public.notes", "AccessExclusiveLock"), Assert.Single(statement.Locks) is var l ? (l.Table, l.Mode) : default);
    }

    [Fact]
    public async Task Create_index_and_create_index_concurrently_are_told_apart_by_what_they_lock()
    {
        var preview = await PreviewPendingAsync(
            ("0002_index_n.sql", "CREATE INDEX notes_n_idx ON public.notes (n);"),
            ("0003_index_body.sql", "-- devlauncher: no-transaction\nCREATE INDEX CONCURRENTLY notes_body_idx ON public.notes (body);\n"));

        var migrations = preview.Migrations;

        Assert.Equal(["public.notes ShareLock"], migrations[0].Statements.SelectMany(s => s.Locks).Select(l => $"{l.Table} {l.Mode}"));
        Assert.Equal(["public.notes ShareUpdateExclusiveLock"], migrations[1].Statements.SelectMany(s => s.Locks).Select(l => $"{l.Table} {l.Mode}"));
    }

    [Fact]
    public async Task Drop_column_reports_the_number_of_values_lost()
    {
        var preview = await PreviewPendingAsync(("0002_no_body.sql", "ALTER TABLE public.notes DROP COLUMN body;"));

        Assert.Equal([new DroppedData("public.notes", "body", 750)], Assert.Single(preview.Migrations).Dropped);
        Assert.True(preview.DataLoss);
    }

    [Fact]
    public async Task A_preview_with_nothing_pending_says_so()
    {
        var preview = await PreviewPendingAsync();

        Assert.Equal("Nothing pending: the database is at version 0001, and Apply would change nothing.", preview.ToCommandMessage());
    }

    [Fact]
    public async Task A_files_own_savepoints_run_as_in_the_worker()
    {
        var preview = await PreviewPendingAsync(("0002_tags.sql", """
            CREATE TABLE public.tags (id int PRIMARY KEY);
            SAVEPOINT before_labels;
            CREATE TABLE public.labels (id int PRIMARY KEY);
            ROLLBACK TO SAVEPOINT before_labels;
            INSERT INTO public.tags VALUES (1);
            """));

        Assert.False(preview.Failed, preview.ToCommandMessage());
    }

    [Fact]
    public async Task The_copy_is_discarded_when_the_preview_ends()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes);
        var database = await BranchDatabaseAsync(loop, folder);
        folder.Write("0002_no_body.sql", "ALTER TABLE public.notes DROP COLUMN body;");

        await PreviewAsync(loop, database, folder);

        await using var session = await loop.Server.OpenAsync(CancellationToken.None);
        var kinds = (await session.ListAsync(CancellationToken.None)).Where(d => d.Metadata?.Resource == loop.BaseName).Select(d => d.Metadata!.Kind).Order();
        Assert.Equal([DevDatabaseKind.Branch, DevDatabaseKind.Discarded], kinds);
    }

    [Fact]
    public async Task A_copy_whose_preview_died_is_dropped_with_the_discarded_databases_and_a_running_ones_is_not()
    {
        await using var loop = new LoopServer(postgres);
        var (died, running) = (DevDatabaseNames.Preview(loop.BaseName), DevDatabaseNames.Preview(loop.BaseName));
        await using var guard = await PreviewGuard.HoldAsync(loop.Server, running, CancellationToken.None);
        await using (var session = await loop.Server.OpenAsync(CancellationToken.None))
        {
            foreach (var copy in new[] { died, running })
            {
                await session.CreateAsync(copy, null, new DevDatabaseMetadata(DevDatabaseKind.Preview, loop.BaseName), CancellationToken.None);
            }
        }

        await loop.Server.DropDiscardedAsync(loop.BaseName, CancellationToken.None);

        Assert.Equal([running], await loop.DatabasesAsync());
    }

    /// <summary>A preview of <paramref name="pending"/> on main's database with the notes in it.</summary>
    private async Task<MigrationPreview> PreviewPendingAsync(params (string File, string Sql)[] pending)
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes);
        var database = await BranchDatabaseAsync(loop, folder);
        foreach (var (file, sql) in pending)
        {
            folder.Write(file, sql);
        }

        return await PreviewAsync(loop, database, folder);
    }

    /// <summary>main's database, migrated with the folder's files as they are now.</summary>
    private static async Task<string> BranchDatabaseAsync(LoopServer loop, MigrationFolder folder)
    {
        var database = DevDatabaseNames.ForBranch(loop.BaseName, "main");
        await new BranchDatabases(loop.Server, loop.BaseName, loop.Time).EnsureAsync(database, new GitHead("main", null), [], CancellationToken.None);
        await loop.MigrateAsync(database, folder);
        return database;
    }

    private static Task<MigrationPreview> PreviewAsync(LoopServer loop, string database, MigrationFolder folder) =>
        new MigrationPreviews(loop.Server, loop.BaseName, loop.Time).RunAsync(database, MigrationFiles.Load(folder.Path, null), CancellationToken.None);
}
