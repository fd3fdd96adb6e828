using Npgsql;

namespace DevLauncher.SchemaLoop;

/// <summary>How the branch's database came to be at this start.</summary>
/// <param name="CopiedFrom">The database it was copied from on its first start; null when it existed or began empty.</param>
/// <param name="Created">False when it already existed.</param>
public sealed record BranchDatabaseResult(string Name, bool Created, string? CopiedFrom);

/// <summary>A branch database as <see cref="BranchDatabases.ListAsync"/> reports it.</summary>
/// <param name="BranchExists">False when its branch is no longer in the checkout (or it belongs to a detached HEAD).</param>
public sealed record BranchDatabaseInfo(string Name, string? Branch, string? Commit, long SizeBytes, bool IsCurrent, bool BranchExists);

/// <summary>
/// A database per git branch on a server the AppHost runs. A branch's first start copies the branch database whose
/// history is the longest prefix of this branch's migration files (usually the default branch's, with its rows), and
/// the worker applies the rest; switching back finds the other branch's database as it was left.
/// </summary>
/// <param name="baseName">The database resource's name (<c>appdb</c>): every name here starts with it.</param>
public sealed class BranchDatabases(DevServer server, string baseName, TimeProvider timeProvider)
{
    /// <summary>PostgreSQL's "source database is being accessed by other users".</summary>
    private const string SourceInUse = "55006";

    public async Task<BranchDatabaseResult> EnsureAsync(string name, GitHead? head, IReadOnlyList<VersionedFile> files, CancellationToken cancellationToken)
    {
        await using var session = await server.OpenAsync(cancellationToken);
        var databases = await session.ListAsync(cancellationToken);
        if (databases.Any(d => d.Name == name))
        {
            return new BranchDatabaseResult(name, Created: false, CopiedFrom: null);
        }

        var source = await LongestPrefixAsync(databases, files, cancellationToken);
        var metadata = new DevDatabaseMetadata(DevDatabaseKind.Branch, baseName) { Branch = head?.Branch, Commit = head?.Commit, CreatedAt = timeProvider.GetUtcNow() };
        try
        {
            await session.CreateAsync(name, source, metadata, cancellationToken);
            return new BranchDatabaseResult(name, Created: true, CopiedFrom: source);
        }
        catch (PostgresException ex) when (ex.SqlState == SourceInUse && source is not null)
        {
            // Someone works in the other branch's database: start empty rather than end their session.
            await session.CreateAsync(name, null, metadata, cancellationToken);
            return new BranchDatabaseResult(name, Created: true, CopiedFrom: null);
        }
    }

    public async Task<IReadOnlyList<BranchDatabaseInfo>> ListAsync(string current, IReadOnlySet<string> liveBranches, CancellationToken cancellationToken)
    {
        await using var session = await server.OpenAsync(cancellationToken);
        return [.. (await session.ListAsync(cancellationToken)).Where(IsBranchDatabase).Select(d => Describe(d, current, liveBranches))];
    }

    /// <summary>Drops the branch databases of deleted branches (and their undo snapshots); never the current one.</summary>
    /// <returns>The names dropped.</returns>
    public async Task<IReadOnlyList<string>> DeleteDatabasesOfDeletedBranchesAsync(string current, IReadOnlySet<string> liveBranches, CancellationToken cancellationToken)
    {
        await using var session = await server.OpenAsync(cancellationToken);
        var databases = await session.ListAsync(cancellationToken);
        var ofDeletedBranches = databases.Where(IsBranchDatabase).Select(d => Describe(d, current, liveBranches)).Where(d => !d.IsCurrent && !d.BranchExists).Select(d => d.Name).ToList();
        var snapshots = databases.Where(d => d.Metadata is { Kind: DevDatabaseKind.Undo or DevDatabaseKind.UndoPending } m && ofDeletedBranches.Contains(m.Database!)).Select(d => d.Name);
        foreach (var name in ofDeletedBranches.Concat(snapshots).ToList())
        {
            await session.DropAsync(name, cancellationToken);
        }

        return ofDeletedBranches;
    }

    private bool IsBranchDatabase(DevDatabase database) => database.Metadata is { Kind: DevDatabaseKind.Branch } metadata && metadata.Resource == baseName;

    private static BranchDatabaseInfo Describe(DevDatabase database, string current, IReadOnlySet<string> liveBranches)
    {
        var metadata = database.Metadata!;
        var exists = metadata.Branch is { } branch && liveBranches.Contains(branch);
        return new BranchDatabaseInfo(database.Name, metadata.Branch, metadata.Commit, database.SizeBytes, database.Name == current, exists);
    }

    /// <summary>
    /// Among this resource's branch databases (and a database of the resource's own name that an earlier DevLauncher
    /// made), the one whose history is the longest prefix of the files; null when none has one (start empty).
    /// </summary>
    private async Task<string?> LongestPrefixAsync(IReadOnlyList<DevDatabase> databases, IReadOnlyList<VersionedFile> files, CancellationToken cancellationToken)
    {
        var best = (Name: (string?)null, Length: 0);
        foreach (var candidate in databases.Where(d => IsBranchDatabase(d) || (d.Name == baseName && d.Metadata is null)))
        {
            var length = HistoryPrefix.Length(files, await server.ReadHistoryAsync(candidate.Name, cancellationToken));
            if (length > best.Length)
            {
                best = (candidate.Name, length.Value);
            }
        }

        return best.Name;
    }
}
