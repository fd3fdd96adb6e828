namespace DevLauncher.Testing;

/// <summary>Linux's process table, read from /proc.</summary>
public static class ProcessTable
{
    /// <summary>The processes whose environment holds <paramref name="entry"/> (<c>KEY=value</c>): what a marked program started.</summary>
    public static IReadOnlyList<(int Pid, string Command)> WithEnvironment(string entry) =>
        Where(directory => File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains(entry, StringComparer.Ordinal));

    /// <summary>The processes whose command line contains <paramref name="text"/>, e.g. a folder they run from.</summary>
    public static IReadOnlyList<(int Pid, string Command)> WithCommandLine(string text) =>
        Where(directory => CommandLine(directory).Contains(text, StringComparison.Ordinal));

    private static List<(int Pid, string Command)> Where(Func<string, bool> matches)
    {
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid) && matches(directory))
                {
                    found.Add((pid, CommandLine(directory)));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // gone meanwhile, or a kernel thread
            }
        }

        return found;
    }

    private static string CommandLine(string directory) => File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
}
