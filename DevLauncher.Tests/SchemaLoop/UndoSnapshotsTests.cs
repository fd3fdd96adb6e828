using DevLauncher.Contracts;
using DevLauncher.SchemaLoop;
using DevLauncher.Tests.Infrastructure;
using Npgsql;

namespace DevLauncher.Tests.SchemaLoop;

/// <summary>Undo on a real server: the snapshot before a run, kept when the run applied something, restored exactly.</summary>
public sealed class UndoSnapshotsTests(PostgresFixture postgres)
{
    private const string Notes = "CREATE TABLE public.notes (id int PRIMARY KEY, body text NOT NULL);";
    private const string Tags = "CREATE TABLE public.tags (id int PRIMARY KEY); INSERT INTO public.tags VALUES (7);";

    [Fact]
    public async Task Undo_restores_the_database_pg_dump_showed_before_the_run()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes);
        var database = await MigratedDatabaseAsync(loop, folder);
        await loop.ExecuteAsync(database, "INSERT INTO public.notes VALUES (1, 'before')");
        var before = await Psql.DumpAsync(loop.ConnectionString(database), includeHistory: true);
        var undo = new UndoSnapshots(loop.Server, loop.BaseName, loop.Time);

        await undo.TakeAsync(database, "0001", CancellationToken.None);
        folder.Write("0002_tags.sql", Tags);
        await loop.MigrateAsync(database, folder);
        await undo.CompleteAsync(database, ["0002_tags.sql"], CancellationToken.None);
        await loop.ExecuteAsync(database, "INSERT INTO public.notes VALUES (2, 'after')");
        var restored = await undo.RestoreAsync(database, Branch(loop), CancellationToken.None);

        Assert.Equal(["0002_tags.sql"], restored.Files);
        Assert.Equal("0001", restored.Version);
        Assert.Equal(before, await Psql.DumpAsync(loop.ConnectionString(database), includeHistory: true));
    }

    [Fact]
    public async Task A_run_that_applied_nothing_leaves_the_previous_snapshot_to_undo()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes);
        var (database, undo) = await TagsUndoableAsync(loop, folder);

        await undo.TakeAsync(database, "0002", CancellationToken.None);
        await undo.CompleteAsync(database, [], CancellationToken.None);

        Assert.Equal(["0002_tags.sql"], (await undo.StatusAsync(database, CancellationToken.None)).Files);
    }

    [Fact]
    public async Task Undo_is_unavailable_once_a_version_was_applied_without_a_snapshot()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes);
        var (database, undo) = await TagsUndoableAsync(loop, folder);

        folder.Write("0003_more.sql", "CREATE TABLE public.more (id int);");
        await loop.MigrateAsync(database, folder);

        var status = await undo.StatusAsync(database, CancellationToken.None);
        Assert.False(status.Available);
        Assert.Contains("0003_more.sql", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_undo_is_refused_as_one_level_naming_what_the_first_took_back()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes);
        var (database, undo) = await TagsUndoableAsync(loop, folder);
        await undo.RestoreAsync(database, Branch(loop), CancellationToken.None);

        var status = await undo.StatusAsync(database, CancellationToken.None);

        Assert.Equal("Undo is one level: it took back 0002_tags.sql already. The next run that applies migrations can be undone.", status.Reason);
    }

    [Fact]
    public async Task Taking_a_snapshot_refuses_while_a_worker_holds_the_migration_lock()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = new MigrationFolder().Write("0001_notes.sql", Notes);
        var database = await MigratedDatabaseAsync(loop, folder);
        await using var worker = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(loop.ConnectionString(database)) { Pooling = false, ApplicationName = "held-by-test" }.ConnectionString);
        await worker.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey.Sql})", worker))
        {
            await take.ExecuteNonQueryAsync();
        }

        var refused = await Assert.ThrowsAsync<DatabaseBusyException>(() => new UndoSnapshots(loop.Server, loop.BaseName, loop.Time).TakeAsync(database, "0001", CancellationToken.None));

        Assert.Contains("held-by-test", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, await loop.ScalarAsync<int>(database, "SELECT 1"));
    }

    private static async Task<string> MigratedDatabaseAsync(LoopServer loop, MigrationFolder folder)
    {
        var database = DevDatabaseNames.ForBranch(loop.BaseName, "main");
        await new BranchDatabases(loop.Server, loop.BaseName, loop.Time).EnsureAsync(database, new GitHead("main", null), [], CancellationToken.None);
        await loop.MigrateAsync(database, folder);
        return database;
    }

    /// <summary>main's database at 0001, then a snapshot and a run that applies 0002_tags.sql: what Undo takes back.</summary>
    private static async Task<(string Database, UndoSnapshots Undo)> TagsUndoableAsync(LoopServer loop, MigrationFolder folder)
    {
        var database = await MigratedDatabaseAsync(loop, folder);
        var undo = new UndoSnapshots(loop.Server, loop.BaseName, loop.Time);
        await undo.TakeAsync(database, "0001", CancellationToken.None);
        folder.Write("0002_tags.sql", Tags);
        await loop.MigrateAsync(database, folder);
        await undo.CompleteAsync(database, ["0002_tags.sql"], CancellationToken.None);
        return (database, undo);
    }

    private static DevDatabaseMetadata Branch(LoopServer loop) => new(DevDatabaseKind.Branch, loop.BaseName) { Branch = "main" };
}
