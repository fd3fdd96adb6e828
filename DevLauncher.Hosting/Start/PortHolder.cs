using System.Globalization;

namespace DevLauncher.Hosting.Start;

/// <summary>
/// Which process listens on a TCP port, from Linux's /proc (the socket's inode in /proc/net/tcp, then the process whose
/// open files include it): enough to name the program in one line. Elsewhere, or without the right to read another
/// user's files, it knows nothing.
/// </summary>
internal static class PortHolder
{
    private const string Listen = "0A";

    private static readonly string[] Tables = ["/proc/net/tcp", "/proc/net/tcp6"];

    /// <returns>"pid 1234 (its command line)", or null when it cannot be told.</returns>
    public static string? Describe(int port)
    {
        if (!OperatingSystem.IsLinux() || ListeningInode(port) is not { } inode)
        {
            return null;
        }

        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            if (HoldsSocket(process, inode))
            {
                return $"pid {Path.GetFileName(process)} ({CommandLine(process)})";
            }
        }

        return null;
    }

    private static string? ListeningInode(int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in Tables.Where(File.Exists))
        {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            foreach (var fields in File.ReadLines(table).Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            {
                if (fields.Length > 9 && fields[1].EndsWith($":{hexPort}", StringComparison.Ordinal) && fields[3] == Listen)
                {
                    return fields[9];
                }
            }
        }

        return null;
    }

    private static bool HoldsSocket(string process, string inode)
    {
        try
        {
            var socket = $"socket:[{inode}]";
            return Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")).Any(fd => new FileInfo(fd).LinkTarget == socket);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false; // another user's process, or gone meanwhile
        }
    }

    private static string CommandLine(string process)
    {
        try
        {
            var arguments = File.ReadAllText(Path.Combine(process, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            // An argument may hold line breaks (python3 -c "..."): the refusal it goes into is one line.
            return arguments.Length == 0 ? "no command line" : string.Join(' ', arguments).ReplaceLineEndings(" ");
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return "command line unreadable";
        }
    }
}
