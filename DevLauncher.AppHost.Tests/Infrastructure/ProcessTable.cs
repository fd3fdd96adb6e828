namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>Linux's process table, read from /proc.</summary>
public static class ProcessTable
{
    public static IReadOnlyList<(int Pid, string Command)> WithEnvironment(string entry)
    {
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var environment = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0');
                if (environment.Contains(entry, StringComparer.Ordinal))
                {
                    found.Add((pid, File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim()));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // gone meanwhile, or a kernel thread
            }
        }

        return found;
    }
}
