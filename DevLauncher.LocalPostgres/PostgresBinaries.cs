namespace DevLauncher.LocalPostgres;

/// <summary>
/// Finds the PostgreSQL server programs installed on this machine. It only looks at folders and starts no process: the
/// AppHost calls it while it builds its model, where nothing may start yet.
/// </summary>
public static class PostgresBinaries
{
    public const string EnvironmentVariable = "DEVLAUNCHER_PG_BIN";

    private const string DebianRoot = "/usr/lib/postgresql";

    public static string Find(string? explicitDirectory = null)
    {
        if (TryFind(explicitDirectory) is { } found)
        {
            return found;
        }

        var tried = Candidates(explicitDirectory).ToList();
        throw new PostgresNotInstalledException(
            "PostgreSQL server programs (initdb, pg_ctl) were not found. Install them with " +
            "'sudo apt-get install postgresql' (Debian/Ubuntu), 'sudo dnf install postgresql-server' (Fedora) or " +
            $"'brew install postgresql' (macOS), or set {EnvironmentVariable} to the folder that holds them. " +
            $"Looked in: {(tried.Count == 0 ? "(nowhere)" : string.Join(", ", tried.Distinct()))}.");
    }

    /// <summary>The folder of initdb and pg_ctl, or null when they are not installed.</summary>
    public static string? TryFind(string? explicitDirectory = null) =>
        Candidates(explicitDirectory).FirstOrDefault(c => File.Exists(Path.Combine(c, "initdb")) && File.Exists(Path.Combine(c, "pg_ctl")));

    /// <summary>An explicit folder is the only candidate; otherwise the environment, Debian's folders, then PATH.</summary>
    private static IEnumerable<string> Candidates(string? explicitDirectory) =>
        string.IsNullOrWhiteSpace(explicitDirectory)
            ? FromEnvironment().Concat(DebianVersions()).Concat(OnPath())
            : [explicitDirectory];

    private static IEnumerable<string> FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnv ? [fromEnv] : [];

    /// <summary>Debian and Ubuntu install each major version side by side (/usr/lib/postgresql/15/bin); the newest first.</summary>
    private static IEnumerable<string> DebianVersions() =>
        Directory.Exists(DebianRoot)
            ? Directory.GetDirectories(DebianRoot)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var version) ? version : 0)
                .Select(d => Path.Combine(d, "bin"))
            : [];

    /// <summary>
    /// The folders on PATH that hold initdb. PATH often holds a symlink (/usr/local/bin/initdb to
    /// /usr/lib/postgresql/15/bin/initdb), and pg_ctl must sit beside the real program, so the link is followed.
    /// </summary>
    private static IEnumerable<string> OnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "initdb"))
            .Where(File.Exists)
            .Select(initdb => Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb)!);
}

internal sealed class PostgresNotInstalledException(string message) : Exception(message);
