namespace DevLauncher.Bench.Infrastructure;

/// <summary>Resident memory of the host, its children, and the PostgreSQL server it started (pg_ctl detaches it).</summary>
public static class ProcessTree
{
    public static double RssMegabytes(int rootPid, string dataDirectory)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && TryParent(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var roots = new HashSet<int> { rootPid };
        var postmasterPid = Path.Combine(dataDirectory, "postgres", "data", "postmaster.pid");
        if (File.Exists(postmasterPid) && int.TryParse(File.ReadLines(postmasterPid).FirstOrDefault(), out var postmaster))
        {
            roots.Add(postmaster);
        }

        long kilobytes = 0;
        foreach (var pid in parents.Keys.Where(p => IsUnder(p, roots, parents)))
        {
            kilobytes += RssKilobytes(pid);
        }

        return kilobytes / 1024.0;
    }

    private static bool IsUnder(int pid, HashSet<int> roots, Dictionary<int, int> parents)
    {
        for (var current = pid; current > 1; current = parents.GetValueOrDefault(current))
        {
            if (roots.Contains(current))
            {
                return true;
            }
        }

        return false;
    }

    private static int? TryParent(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long RssKilobytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
