using DevLauncher.SchemaLoop;
using DevLauncher.Tests.Infrastructure;
using DevLauncher.Tests.SchemaLoop;

namespace DevLauncher.Tests.Distributed;

/// <summary>
/// The schema loop's operations on a branch database, at library level, as the AppHost's commands run them: each
/// ends the sessions of the services on it, and Undo and Reset leave its name without a database for an instant.
/// </summary>
internal sealed class LoopOperations(LoopServer loop, MigrationFolder folder, string database, string template)
{
    /// <summary>What Apply adds each time; Undo takes it back, so the next Apply applies it again.</summary>
    public const string Migration = "0100_loop_probe.sql";

    private readonly UndoSnapshots _undo = new(loop.Server, loop.BaseName, loop.Time);
    private readonly Templates _templates = new(loop.Server, loop.BaseName, loop.Time);
    private readonly DevDatabaseMetadata _metadata = new(DevDatabaseKind.Branch, loop.BaseName) { Branch = "main" };

    /// <summary>Apply migrations: the Undo snapshot's copy, then the worker's run, then the copy kept for Undo.</summary>
    public async Task ApplyAsync()
    {
        folder.Write(Migration, "CREATE TABLE public.loop_probe (id int PRIMARY KEY); INSERT INTO public.loop_probe SELECT generate_series(1, 1000);");
        await _undo.TakeAsync(database, "0007", CancellationToken.None);
        await loop.MigrateAsync(database, folder);
        await _undo.CompleteAsync(database, [Migration], CancellationToken.None);
    }

    /// <summary>Undo last migration: the snapshot renamed in, the database renamed away and dropped.</summary>
    public async Task UndoAsync()
    {
        await _undo.RestoreAsync(database, _metadata, CancellationToken.None);
        await loop.Server.DropDiscardedAsync(loop.BaseName, CancellationToken.None);
    }

    /// <summary>Reset database: a copy of the template swapped in; the snapshots describe a database that is gone.</summary>
    public async Task ResetAsync()
    {
        await _templates.ResetAsync(database, template, _metadata, CancellationToken.None);
        await _undo.DiscardAsync(database, CancellationToken.None);
        await loop.Server.DropDiscardedAsync(loop.BaseName, CancellationToken.None);
    }

    /// <summary>The copy a Preview runs the pending migrations on: CREATE DATABASE ... TEMPLATE of the branch database, then dropped.</summary>
    public async Task PreviewCopyAsync()
    {
        var preview = $"{loop.BaseName}_preview";
        await using var session = await loop.Server.OpenAsync(CancellationToken.None);
        await session.WithExclusiveAccessAsync(database, async () =>
        {
            await session.CreateAsync(preview, database, _metadata with { Branch = null }, CancellationToken.None);
            return true;
        }, CancellationToken.None);
        await session.DropAsync(preview, CancellationToken.None);
    }

    /// <summary>A template of the database as it is now (rows included), for <see cref="ResetAsync"/> to copy.</summary>
    public static async Task<string> TemplateOfAsync(LoopServer loop, string database)
    {
        var template = DevDatabaseNames.Template(loop.BaseName, "loopprobes");
        await using var session = await loop.Server.OpenAsync(CancellationToken.None);
        await session.WithExclusiveAccessAsync(database, async () =>
        {
            await session.CreateAsync(template, database, new DevDatabaseMetadata(DevDatabaseKind.Template, loop.BaseName), CancellationToken.None);
            return true;
        }, CancellationToken.None);
        await session.MarkTemplateAsync(template, CancellationToken.None);
        return template;
    }
}
