namespace DevLauncher.SchemaLoop;

/// <summary>Whether Undo can run now, and what it would take back.</summary>
/// <param name="Files">The files the last run applied, which Undo takes back; empty when it cannot run.</param>
/// <param name="Version">The schema version Undo returns to.</param>
/// <param name="Reason">Why Undo cannot run; null when it can.</param>
public sealed record UndoStatus(IReadOnlyList<string> Files, string? Version, string? Reason)
{
    public bool Available => Reason is null;

    public static UndoStatus Unavailable(string reason) => new([], null, reason);

    /// <summary>Right after an Undo that took back <paramref name="undone"/>: Undo is one level.</summary>
    public static UndoStatus AfterUndo(IReadOnlyList<string> undone) =>
        Unavailable($"Undo is one level: it took back {string.Join(", ", undone)} already. The next run that applies migrations can be undone.");

    /// <summary>No run of this AppHost applied anything to <paramref name="database"/> since it was made or reset.</summary>
    public static UndoStatus NoSnapshot(string database) =>
        Unavailable($"No snapshot of {database}: Undo takes back a run this AppHost applied on this server.");
}

/// <summary>
/// The database's state before the last run that applied migrations, kept as a copy on the same server, so Undo is a
/// rename, not a reverse migration nobody wrote. A copy is taken before every run with something to apply; it becomes
/// the Undo snapshot only once that run has applied something, so a failed run never costs the previous Undo.
/// </summary>
public sealed class UndoSnapshots(DevServer server, string baseName, TimeProvider timeProvider)
{
    /// <summary>Copies <paramref name="database"/> before a run; its sessions are ended meanwhile.</summary>
    /// <param name="version">The database's schema version now, which Undo will return to.</param>
    public async Task TakeAsync(string database, string version, CancellationToken cancellationToken)
    {
        var pending = DevDatabaseNames.UndoPending(baseName, database);
        var metadata = new DevDatabaseMetadata(DevDatabaseKind.UndoPending, baseName) { Database = database, Version = version, CreatedAt = timeProvider.GetUtcNow() };
        await using var session = await server.OpenAsync(cancellationToken);
        await session.DiscardAsync(pending, baseName, cancellationToken);
        await session.CopyAsync(database, pending, metadata, cancellationToken);
    }

    /// <summary>After a run: the copy taken before it becomes the Undo snapshot if the run applied files, else it goes.</summary>
    public async Task CompleteAsync(string database, IReadOnlyList<string> applied, CancellationToken cancellationToken)
    {
        var (undo, pending) = (DevDatabaseNames.Undo(baseName, database), DevDatabaseNames.UndoPending(baseName, database));
        await using var session = await server.OpenAsync(cancellationToken);
        if (await session.FindAsync(pending, cancellationToken) is not { Metadata: { } metadata })
        {
            return;
        }

        if (applied.Count == 0)
        {
            await session.DiscardAsync(pending, baseName, cancellationToken);
            return;
        }

        await session.DiscardAsync(undo, baseName, cancellationToken);
        await session.RenameAsync(pending, undo, cancellationToken);
        await session.SetMetadataAsync(undo, metadata with { Kind = DevDatabaseKind.Undo, Applied = applied }, cancellationToken);
    }

    /// <summary>
    /// Undo is possible when a snapshot exists and the database's history ends with exactly the files the snapshot's
    /// run applied: anything applied since (by another AppHost, or by hand) would be lost without a trace.
    /// </summary>
    public async Task<UndoStatus> StatusAsync(string database, CancellationToken cancellationToken)
    {
        await using var session = await server.OpenAsync(cancellationToken);
        return await StatusAsync(session, database, cancellationToken);
    }

    /// <summary>
    /// Replaces the database with its snapshot: the files of the last run and every row written since are gone. The
    /// replaced database is discarded, for <see cref="DevServer.DropDiscardedAsync"/>, so Undo is two renames.
    /// </summary>
    /// <returns>What was taken back.</returns>
    public async Task<UndoStatus> RestoreAsync(string database, DevDatabaseMetadata databaseMetadata, CancellationToken cancellationToken)
    {
        // The check and the swap under one hold of the dev-database lock: a second Undo pressed meanwhile finds no snapshot.
        await using var session = await server.OpenAsync(cancellationToken);
        var status = await StatusAsync(session, database, cancellationToken);
        if (!status.Available)
        {
            throw new DatabaseBusyException(status.Reason!);
        }

        var undo = DevDatabaseNames.Undo(baseName, database);
        await session.WithExclusiveAccessAsync(database, async () =>
        {
            await session.DiscardAsync(database, baseName, cancellationToken);
            await session.RenameAsync(undo, database, cancellationToken);
            await session.SetMetadataAsync(database, databaseMetadata with { Undone = status.Files }, cancellationToken);
            return true;
        }, cancellationToken);
        return status;
    }

    private async Task<UndoStatus> StatusAsync(DevServerSession session, string database, CancellationToken cancellationToken)
    {
        var snapshot = await session.FindAsync(DevDatabaseNames.Undo(baseName, database), cancellationToken);
        if (snapshot?.Metadata is not { Kind: DevDatabaseKind.Undo } metadata)
        {
            return await NoSnapshotStatusAsync(session, database, cancellationToken);
        }

        var history = await server.ReadHistoryAsync(database, cancellationToken);
        var tail = history.Skip(Math.Max(0, history.Count - metadata.Applied.Count)).Select(h => h.FileName);
        return tail.SequenceEqual(metadata.Applied, StringComparer.Ordinal)
            ? new UndoStatus(metadata.Applied, metadata.Version, null)
            : UndoStatus.Unavailable(
                $"{database}'s newest migration is {(history.Count > 0 ? history[^1].FileName : "none")}, which the snapshot's run did not apply: it was applied since, without a snapshot.");
    }

    /// <summary>Right after an Undo, that Undo is one level; otherwise no run of this AppHost applied anything here.</summary>
    private async Task<UndoStatus> NoSnapshotStatusAsync(DevServerSession session, string database, CancellationToken cancellationToken)
    {
        var undone = (await session.FindAsync(database, cancellationToken))?.Metadata?.Undone ?? [];
        // Files applied again since (without a snapshot, by another AppHost or psql) make the one-level reason untrue.
        var appliedAgain = undone.Count > 0 && (await server.ReadHistoryAsync(database, cancellationToken)) is { Count: > 0 } history &&
            undone.Contains(history[^1].FileName, StringComparer.Ordinal);
        return undone.Count > 0 && !appliedAgain ? UndoStatus.AfterUndo(undone) : UndoStatus.NoSnapshot(database);
    }

    /// <summary>
    /// Puts the database's snapshots aside (<see cref="DevServer.DropDiscardedAsync"/>): after Reset database they
    /// describe a database that is gone.
    /// </summary>
    public async Task DiscardAsync(string database, CancellationToken cancellationToken)
    {
        await using var session = await server.OpenAsync(cancellationToken);
        await session.DiscardAsync(DevDatabaseNames.Undo(baseName, database), baseName, cancellationToken);
        await session.DiscardAsync(DevDatabaseNames.UndoPending(baseName, database), baseName, cancellationToken);
    }
}
