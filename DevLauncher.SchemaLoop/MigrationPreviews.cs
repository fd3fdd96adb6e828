using DevLauncher.Migrations.Engine;

namespace DevLauncher.SchemaLoop;

/// <summary>
/// Preview before Apply: the branch's database is copied, the pending migrations run on the copy with the engine
/// (<see cref="MigrationEngine.PreviewAsync"/>), and the copy is discarded, for <see cref="DevServer.DropDiscardedAsync"/>
/// to drop once the preview has answered. The database, its history and its Undo
/// snapshot are not touched; only the copy ends the sessions on the database for its time, as the Undo snapshot does.
/// </summary>
/// <param name="baseName">The database resource's name (<c>appdb</c>): the copy's name starts with it.</param>
public sealed class MigrationPreviews(DevServer server, string baseName, TimeProvider timeProvider)
{
    /// <summary>What the pending <paramref name="files"/> would do to <paramref name="database"/>, measured on a copy of it.</summary>
    /// <exception cref="DatabaseBusyException">A migration worker holds the migration lock on the database.</exception>
    public async Task<MigrationPreview> RunAsync(string database, MigrationFiles files, CancellationToken cancellationToken)
    {
        var copy = DevDatabaseNames.Preview(baseName);
        await using var guard = await PreviewGuard.HoldAsync(server, copy, cancellationToken);
        try
        {
            await CopyAsync(database, copy, cancellationToken);
            return await MigrationEngine.PreviewAsync(server.ConnectionStringFor(copy), files, timeProvider, cancellationToken);
        }
        finally
        {
            // Put aside even when cancelled, for DevServer.DropDiscardedAsync: a rename takes milliseconds, a drop as
            // long as the copy, and nobody should wait for it.
            await using var session = await server.OpenAsync(CancellationToken.None);
            await session.DiscardAsync(copy, baseName, CancellationToken.None);
        }
    }

    private async Task CopyAsync(string database, string copy, CancellationToken cancellationToken)
    {
        var metadata = new DevDatabaseMetadata(DevDatabaseKind.Preview, baseName) { Database = database, CreatedAt = timeProvider.GetUtcNow() };
        await using var session = await server.OpenAsync(cancellationToken);
        await session.CopyAsync(database, copy, metadata, cancellationToken);
    }
}
