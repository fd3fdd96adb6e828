using System.Diagnostics;

namespace DevLauncher.LocalPostgres;

/// <summary>Finds the PostgreSQL server programs installed on this machine.</summary>
public static class PostgresBinaries
{
    public const string EnvironmentVariable = "DEVLAUNCHER_PG_BIN";

    public static string Find(string? explicitDirectory = null)
    {
        var tried = new List<string>();
        foreach (var candidate in Candidates(explicitDirectory))
        {
            tried.Add(candidate);
            if (File.Exists(Path.Combine(candidate, "initdb")) && File.Exists(Path.Combine(candidate, "pg_ctl")))
            {
                return candidate;
            }
        }

        throw new PostgresNotInstalledException(
            "PostgreSQL server programs (initdb, pg_ctl) were not found. Install them with " +
            "'sudo apt-get install postgresql' (Debian/Ubuntu), 'sudo dnf install postgresql-server' (Fedora) or " +
            $"'brew install postgresql' (macOS), or set {EnvironmentVariable} to the folder that holds them. " +
            $"Looked in: {(tried.Count == 0 ? "(nowhere)" : string.Join(", ", tried.Distinct()))}.");
    }

    private static IEnumerable<string> Candidates(string? explicitDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            yield return explicitDirectory;
            yield break;
        }

        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnv)
        {
            yield return fromEnv;
        }

        if (PgConfigBinDir() is { } fromPgConfig)
        {
            yield return fromPgConfig;
        }

        // Debian and Ubuntu install each major version side by side; prefer the newest.
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            foreach (var dir in Directory.GetDirectories(debianRoot)
                         .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            {
                yield return Path.Combine(dir, "bin");
            }
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (File.Exists(initdb))
            {
                // PATH often holds a symlink (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb); pg_ctl must sit beside the real one.
                var target = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
                yield return Path.GetDirectoryName(target)!;
            }
        }
    }

    private static string? PgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not installed: the other candidates decide.
        }
    }
}

public sealed class PostgresNotInstalledException(string message) : Exception(message);
