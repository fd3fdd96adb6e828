namespace DevLauncher.SchemaLoop;

/// <summary>What a checkout's HEAD points at: a branch, or a commit when it is detached.</summary>
/// <param name="Branch">The branch name without <c>refs/heads/</c>; null when HEAD is detached.</param>
/// <param name="Commit">The commit HEAD points at when detached; null on a branch.</param>
public sealed record GitHead(string? Branch, string? Commit);

/// <summary>
/// Reads a checkout's HEAD and local branches from its files. Written by hand: the AppHost needs two small reads at
/// start, and neither a native library (LibGit2Sharp) nor a <c>git</c> process on PATH is worth that.
/// </summary>
public static class GitCheckout
{
    private const string HeadsPrefix = "refs/heads/";

    /// <summary>HEAD of the checkout that holds <paramref name="directory"/>; null when it is in no git checkout.</summary>
    public static GitHead? ReadHead(string directory) =>
        FindGitDirectory(directory) is { } gitDirectory ? ParseHead(File.ReadAllText(Path.Combine(gitDirectory, "HEAD"))) : null;

    /// <summary>The names of the checkout's local branches (loose and packed refs); empty outside a checkout.</summary>
    public static IReadOnlySet<string> LocalBranches(string directory)
    {
        var branches = new HashSet<string>(StringComparer.Ordinal);
        if (FindGitDirectory(directory) is not { } gitDirectory)
        {
            return branches;
        }

        var commonDirectory = CommonDirectory(gitDirectory);
        AddLooseBranches(Path.Combine(commonDirectory, "refs", "heads"), branches);
        AddPackedBranches(Path.Combine(commonDirectory, "packed-refs"), branches);
        return branches;
    }

    internal static GitHead ParseHead(string head)
    {
        head = head.Trim();
        const string symbolic = "ref: ";
        if (!head.StartsWith(symbolic, StringComparison.Ordinal))
        {
            return new GitHead(null, head);
        }

        var reference = head[symbolic.Length..].Trim();
        return new GitHead(reference.StartsWith(HeadsPrefix, StringComparison.Ordinal) ? reference[HeadsPrefix.Length..] : reference, null);
    }

    /// <summary>
    /// The folder that holds HEAD: <c>.git</c> itself, or for a worktree or submodule the folder its <c>.git</c> file
    /// names (<c>gitdir: ...</c>).
    /// </summary>
    internal static string? FindGitDirectory(string directory)
    {
        for (var current = new DirectoryInfo(Path.GetFullPath(directory)); current is not null; current = current.Parent)
        {
            var dotGit = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(dotGit) && File.Exists(Path.Combine(dotGit, "HEAD")))
            {
                return dotGit;
            }

            if (File.Exists(dotGit) && GitDirectoryOfFile(dotGit) is { } linked)
            {
                return linked;
            }
        }

        return null;
    }

    private static string? GitDirectoryOfFile(string dotGitFile)
    {
        const string prefix = "gitdir:";
        var line = File.ReadLines(dotGitFile).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var path = Path.GetFullPath(line[prefix.Length..].Trim(), Path.GetDirectoryName(dotGitFile)!);
        return File.Exists(Path.Combine(path, "HEAD")) ? path : null;
    }

    /// <summary>A worktree's own folder keeps HEAD; its branches live in the main repository's folder (<c>commondir</c>).</summary>
    private static string CommonDirectory(string gitDirectory)
    {
        var commonDir = Path.Combine(gitDirectory, "commondir");
        return File.Exists(commonDir) ? Path.GetFullPath(File.ReadAllText(commonDir).Trim(), gitDirectory) : gitDirectory;
    }

    private static void AddLooseBranches(string headsDirectory, HashSet<string> branches)
    {
        if (!Directory.Exists(headsDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(headsDirectory, "*", SearchOption.AllDirectories))
        {
            branches.Add(Path.GetRelativePath(headsDirectory, file).Replace(Path.DirectorySeparatorChar, '/'));
        }
    }

    private static void AddPackedBranches(string packedRefs, HashSet<string> branches)
    {
        if (!File.Exists(packedRefs))
        {
            return;
        }

        foreach (var line in File.ReadLines(packedRefs))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[1].StartsWith(HeadsPrefix, StringComparison.Ordinal))
            {
                branches.Add(parts[1][HeadsPrefix.Length..].Trim());
            }
        }
    }
}
