using System.Security.Cryptography;
using System.Text;

namespace DevLauncher.SchemaLoop;

/// <summary>
/// The names of the schema loop's databases. A name is what PostgreSQL can hold unquoted-looking and within its
/// 63 bytes: lower-case ASCII letters, digits and underscores. A branch whose name does not survive that unchanged
/// (<c>feature/Login</c>, a long or non-ASCII name) gets a short hash of its real name, so two branches never share a
/// database; the dashboard shows the real name beside it.
/// </summary>
public static class DevDatabaseNames
{
    /// <summary>PostgreSQL's NAMEDATALEN - 1: a longer name is cut silently, which would merge two databases.</summary>
    public const int MaxBytes = 63;

    private const int HashLength = 8;

    /// <summary>
    /// <c>appdb_main</c> on a branch, <c>appdb_at_1a2b3c4d5e6f</c> on a detached HEAD, and the base name itself outside
    /// a git checkout.
    /// </summary>
    public static string ForHead(string baseName, GitHead? head) => head switch
    {
        null => baseName,
        { Branch: { } branch } => ForBranch(baseName, branch),
        { Commit: { } commit } => Fit($"{baseName}_at_{Slug(commit[..Math.Min(12, commit.Length)])}", commit),
        _ => baseName,
    };

    public static string ForBranch(string baseName, string branch)
    {
        var slug = Slug(branch);
        var name = $"{baseName}_{slug}";
        return slug == branch && Encoding.UTF8.GetByteCount(name) <= MaxBytes ? name : Fit($"{name}_{Hash(branch)}", branch);
    }

    /// <summary>The template for one set of migration and seed files, named by their fingerprint.</summary>
    public static string Template(string baseName, string fingerprint) => $"{baseName}_tpl_{fingerprint[..Math.Min(16, fingerprint.Length)]}";

    /// <summary>Where a template is built before it takes its name, so a half-built one is never cloned.</summary>
    public static string TemplateBuild(string template) => Fit($"{template}_build_{Hash(Guid.NewGuid().ToString())}", template);

    /// <summary>The snapshot Undo restores for <paramref name="database"/>.</summary>
    public static string Undo(string baseName, string database) => $"{baseName}_undo_{Hash(database)}";

    /// <summary>The snapshot taken before a run, which becomes <see cref="Undo"/> once the run has applied something.</summary>
    public static string UndoPending(string baseName, string database) => $"{Undo(baseName, database)}_next";

    /// <summary>Where Reset database copies the template for <paramref name="database"/> before it swaps the copy in.</summary>
    public static string Replacement(string baseName, string database) => $"{baseName}_new_{Hash(database)}";

    /// <summary>A copy for one preview: unique, so that two previews never meet.</summary>
    public static string Preview(string baseName) => $"{baseName}_preview_{Hash(Guid.NewGuid().ToString())}";

    /// <summary>A discarded database's new name, until it is dropped: unique, so that two discarded never meet.</summary>
    public static string Discarded(string baseName) => $"{baseName}_old_{Hash(Guid.NewGuid().ToString())}";

    internal static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            var keep = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (keep || (slug.Length > 0 && slug[^1] != '_'))
            {
                slug.Append(keep ? c : '_');
            }
        }

        return slug.ToString().TrimEnd('_');
    }

    /// <summary>Cuts a name that is too long, keeping its hash suffix (the part that tells two names apart).</summary>
    private static string Fit(string name, string original)
    {
        if (name.Length <= MaxBytes)
        {
            return name;
        }

        var suffix = $"_{Hash(original)}";
        return name[..(MaxBytes - suffix.Length)].TrimEnd('_') + suffix;
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..HashLength];
}
