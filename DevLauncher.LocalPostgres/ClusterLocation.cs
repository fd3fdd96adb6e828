using System.Security.Cryptography;
using System.Text;

namespace DevLauncher.LocalPostgres;

/// <summary>
/// Where a cluster lives. As root the server runs as the postgres user, which must be able to enter every folder above
/// the cluster's; a checkout under a folder of mode 0700 (a <c>mktemp -d</c>, /root) would make initdb fail. Unless the
/// folder was chosen explicitly, such a cluster moves to a folder of the postgres user's own, one per preferred folder,
/// so its data is kept between runs.
/// </summary>
public sealed class ClusterLocation
{
    /// <summary>The folder under the postgres user's home that holds the clusters moved there.</summary>
    private const string FallbackParentName = "devlauncher";

    private ClusterLocation(string directory, string? notice)
    {
        Directory = directory;
        Notice = notice;
    }

    /// <summary>The cluster's folder, for <see cref="PostgresCluster"/>.</summary>
    public string Directory { get; }

    /// <summary>One line to show the user when the cluster is not in the preferred folder; null when it is.</summary>
    public string? Notice { get; }

    /// <summary>
    /// Decides where the cluster lives. It asks the system as the postgres user, so call it when the server is about to
    /// start, not while building a model.
    /// </summary>
    /// <param name="preferredDirectory">Where the cluster should live, e.g. the checkout's <c>.devlauncher/postgres</c>.</param>
    /// <param name="chosenExplicitly">True when the user named the folder: it is then never replaced by another.</param>
    /// <exception cref="ClusterLocationException">The postgres user cannot reach the folder and no other may be used.</exception>
    public static async Task<ClusterLocation> ResolveAsync(
        string preferredDirectory, bool chosenExplicitly, CancellationToken cancellationToken = default)
    {
        var preferred = Path.TrimEndingDirectorySeparator(Path.GetFullPath(preferredDirectory));
        if (!ServiceUser.IsRoot)
        {
            return new ClusterLocation(preferred, null); // the server runs as us, and we chose the folder
        }

        var blocked = await FolderAccess.FirstNotEnterableAsync(ExistingAncestors(preferred), cancellationToken);
        if (blocked is null)
        {
            return new ClusterLocation(preferred, null);
        }

        if (chosenExplicitly)
        {
            throw new ClusterLocationException(CannotUse(preferred, blocked, ""));
        }

        var fallback = await CreateFallbackAsync(preferred, blocked, cancellationToken);
        return new ClusterLocation(fallback, $"PostgreSQL's data is in {fallback}: the {ServiceUser.Name} user cannot enter {blocked}");
    }

    /// <summary>
    /// The folders above <paramref name="directory"/> that exist, from the root down. Those that do not exist yet are
    /// created by us later, enterable by everyone; the cluster's own folder is given to the postgres user.
    /// </summary>
    private static List<string> ExistingAncestors(string directory)
    {
        var ancestors = new List<string>();
        for (var folder = Path.GetDirectoryName(directory); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (System.IO.Directory.Exists(folder))
            {
                ancestors.Insert(0, folder);
            }
        }

        return ancestors;
    }

    /// <summary><c>~postgres/devlauncher/&lt;name&gt;</c>, created and given to the postgres user.</summary>
    private static async Task<string> CreateFallbackAsync(string preferred, BlockedFolder blocked, CancellationToken cancellationToken)
    {
        var home = ServiceUser.Account().Home;
        if (!await FolderAccess.IsOwnFolderAsync(home, cancellationToken))
        {
            throw new ClusterLocationException(CannotUse(preferred, blocked,
                $", and its home {home}, where a folder of its own would go, is missing or not its own"));
        }

        var parent = Path.Combine(home, FallbackParentName);
        var fallback = Path.Combine(parent, FallbackName(preferred));
        ServiceUser.CreateDirectory(parent);
        ServiceUser.CreateDirectory(fallback);
        return fallback;
    }

    /// <summary>
    /// The last two folder names a person recognises (not hidden ones such as .devlauncher) and a hash of the whole
    /// path: /work/main/.devlauncher/postgres becomes main-postgres-1a2b3c4d, the same on every run.
    /// </summary>
    private static string FallbackName(string preferred)
    {
        var names = preferred.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries)
            .Where(name => !name.StartsWith('.'))
            .TakeLast(2)
            .Select(Readable);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(preferred)))[..8];
        return string.Join('-', names.Append(hash));
    }

    private static string Readable(string name)
    {
        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_')]);
        return safe.Length <= 32 ? safe : safe[..32];
    }

    private static string CannotUse(string preferred, BlockedFolder blocked, string why) =>
        $"PostgreSQL cannot keep its data in {preferred}: the {ServiceUser.Name} user, which runs it, cannot enter {blocked}{why}; " +
        $"let it in (e.g. chmod o+x {blocked.Path}) or use another folder.";
}

/// <summary>The cluster's folder cannot be used; the message is one line that names the folder in the way.</summary>
public sealed class ClusterLocationException(string message) : Exception(message);
