namespace DevLauncher.SchemaLoop;

/// <summary>
/// Template databases: the migrations and seeds applied to an empty database once per set of files (named by their
/// fingerprint), so that Reset database is a copy (<c>CREATE DATABASE ... TEMPLATE</c>) instead of a migration from
/// scratch. A template is built under another name and renamed when complete, so a half-built one is never copied.
/// </summary>
public sealed class Templates(DevServer server, string baseName, TimeProvider timeProvider)
{
    /// <summary>Templates kept besides the current one: switching back to a branch finds its template still built.</summary>
    private const int Kept = 2;

    /// <summary>A build this old is not running any more: a build takes seconds.</summary>
    private static readonly TimeSpan AbandonedBuild = TimeSpan.FromHours(1);

    /// <summary>The template for these files, if one is built.</summary>
    public async Task<string?> FindAsync(string fingerprint, CancellationToken cancellationToken)
    {
        await using var session = await server.OpenAsync(cancellationToken);
        var name = DevDatabaseNames.Template(baseName, fingerprint);
        return await session.FindAsync(name, cancellationToken) is { Metadata.Fingerprint: var built } && built == fingerprint ? name : null;
    }

    /// <summary>
    /// Builds the template for these files: <paramref name="migrate"/> applies the migrations and seeds to the empty
    /// database whose connection string it is given. Older templates beyond the last few are dropped.
    /// </summary>
    /// <returns>The template's name.</returns>
    public async Task<string> BuildAsync(string fingerprint, Func<string, CancellationToken, Task> migrate, CancellationToken cancellationToken)
    {
        var name = DevDatabaseNames.Template(baseName, fingerprint);
        var build = DevDatabaseNames.TemplateBuild(name);
        var metadata = new DevDatabaseMetadata(DevDatabaseKind.Template, baseName) { Fingerprint = fingerprint, CreatedAt = timeProvider.GetUtcNow() };
        await using (var session = await server.OpenAsync(cancellationToken))
        {
            await session.CreateAsync(build, null, metadata with { Fingerprint = null }, cancellationToken);
        }

        try
        {
            // Outside the dev-database lock: a build takes as long as the migrations do, and other AppHosts may work meanwhile.
            await migrate(server.ConnectionStringFor(build), cancellationToken);
        }
        catch
        {
            await DropAsync(build);
            throw;
        }

        await PublishAsync(build, name, metadata, cancellationToken);
        return name;
    }

    /// <summary>
    /// Replaces <paramref name="database"/> with a copy of <paramref name="template"/>, ending its sessions. The copy is
    /// made first, while the services still use the old database; only two renames happen with nobody on it, and the
    /// old database is discarded, for <see cref="DevServer.DropDiscardedAsync"/>.
    /// </summary>
    public async Task ResetAsync(string database, string template, DevDatabaseMetadata databaseMetadata, CancellationToken cancellationToken)
    {
        var replacement = DevDatabaseNames.Replacement(baseName, database);
        await using var session = await server.OpenAsync(cancellationToken);
        await session.DiscardAsync(replacement, baseName, cancellationToken); // a copy whose reset was stopped half way
        await session.CreateAsync(replacement, template, databaseMetadata, cancellationToken);
        await session.WithExclusiveAccessAsync(database, async () =>
        {
            await session.DiscardAsync(database, baseName, cancellationToken);
            await session.RenameAsync(replacement, database, cancellationToken);
            return true;
        }, cancellationToken);
    }

    private async Task PublishAsync(string build, string name, DevDatabaseMetadata metadata, CancellationToken cancellationToken)
    {
        await using var session = await server.OpenAsync(cancellationToken);
        if (await session.FindAsync(name, cancellationToken) is not null)
        {
            await session.DropAsync(build, cancellationToken); // another AppHost built the same files meanwhile
            return;
        }

        await session.RenameAsync(build, name, cancellationToken);
        await session.SetMetadataAsync(name, metadata, cancellationToken);
        await session.MarkTemplateAsync(name, cancellationToken);
        await PruneAsync(session, name, cancellationToken);
    }

    /// <summary>Drops all but the newest templates, and builds that an AppHost killed mid-way left behind.</summary>
    private async Task PruneAsync(DevServerSession session, string current, CancellationToken cancellationToken)
    {
        var ours = (await session.ListAsync(cancellationToken))
            .Where(d => d.Metadata is { Kind: DevDatabaseKind.Template } m && m.Resource == baseName && d.Name != current).ToList();
        var stale = ours.Where(d => d.Metadata!.Fingerprint is not null).OrderByDescending(d => d.Metadata!.CreatedAt).Skip(Kept)
            .Concat(ours.Where(d => d.Metadata!.Fingerprint is null && timeProvider.GetUtcNow() - d.Metadata.CreatedAt > AbandonedBuild));
        foreach (var database in stale.ToList())
        {
            await session.DropAsync(database.Name, cancellationToken);
        }
    }

    private async Task DropAsync(string name)
    {
        await using var session = await server.OpenAsync(CancellationToken.None);
        await session.DropAsync(name, CancellationToken.None);
    }
}
