using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace DevLauncher.LocalPostgres;

/// <summary>
/// One AppHost per cluster. Held for the AppHost's lifetime: an exclusive lock on <c>apphost.lock</c> in the cluster's
/// folder, which .NET takes with flock(2) for <see cref="FileShare.None"/>. The kernel lets go when the holder's process
/// ends however it ends (kill -9 included), so no stale lock is left to clean up; the file itself stays, since deleting
/// a lock file lets two processes lock two different files. The handle is not inherited (O_CLOEXEC), so a server the
/// holder started does not go on holding the lock after it. Acquiring reads nothing but the file: it never touches the
/// holder's running server.
/// </summary>
public sealed partial class ClusterLock : IDisposable
{
    private const string FileName = "apphost.lock";

    private readonly FileStream _file;

    private ClusterLock(FileStream file) => _file = file;

    /// <summary>Takes the lock at once, or fails at once; the cluster's folder is created (for the server's user) when missing.</summary>
    /// <exception cref="ClusterInUseException">Another process holds it; the message names that process.</exception>
    public static ClusterLock Acquire(string clusterDirectory)
    {
        var directory = Path.GetFullPath(clusterDirectory);
        ServiceUser.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (IsHeldElsewhere(ex))
        {
            throw new ClusterInUseException(
                $"Another AppHost ({Describe(ReadHolderPid(path))}) is using the PostgreSQL cluster in {directory}: stop it first.");
        }

        WriteHolderPid(file);
        return new ClusterLock(file);
    }

    public void Dispose() => _file.Dispose();

    /// <summary>.NET reports a flock that another open file holds as an IOException carrying EWOULDBLOCK.</summary>
    private static bool IsHeldElsewhere(IOException exception) =>
        exception.GetType() == typeof(IOException) && exception.HResult == (OperatingSystem.IsMacOS() ? 35 : 11);

    private static void WriteHolderPid(FileStream file)
    {
        file.SetLength(0);
        file.Write(Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
        file.Flush();
    }

    /// <summary>
    /// The pid the holder wrote. A FileStream would first take a shared flock, which the holder's exclusive one refuses,
    /// so the file is opened with open(2) itself, which takes none. Null when there is no pid (yet) to read.
    /// </summary>
    private static int? ReadHolderPid(string path)
    {
        var descriptor = Open(path, 0); // O_RDONLY
        if (descriptor < 0)
        {
            return null;
        }

        using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        var buffer = new byte[32];
        var read = RandomAccess.Read(handle, buffer, fileOffset: 0);
        return int.TryParse(Encoding.ASCII.GetString(buffer, 0, read).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;
    }

    /// <summary>"pid 1234: dotnet DevLauncher.AppHost.dll", or less when /proc does not say.</summary>
    private static string Describe(int? pid)
    {
        if (pid is null)
        {
            return "pid unknown";
        }

        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').ReplaceLineEndings(" ").Trim();
            return commandLine.Length == 0 ? $"pid {pid}" : $"pid {pid}: {commandLine}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"pid {pid}"; // not Linux, or the process is gone or hidden from us
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);
}

/// <summary>Another process holds the cluster's lock; the message is one line that names it.</summary>
public sealed class ClusterInUseException(string message) : Exception(message);
