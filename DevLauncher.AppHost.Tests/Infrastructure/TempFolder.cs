namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>A folder of the test's own under the system's temporary folder, deleted with everything in it.</summary>
public sealed class TempFolder : IDisposable
{
    private TempFolder(string path) => Path = path;

    public string Path { get; }

    /// <summary>The folder, not created: the AppHost creates a data folder itself (for the server's user).</summary>
    public static TempFolder Named(string prefix) => new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"));

    /// <summary>Created with mode 0700: only its owner (root, in these tests) may enter it; the postgres user may not.</summary>
    public static TempFolder Closed(string prefix)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("A folder's mode is a Unix permission.");
        }

        var folder = Named(prefix);
        Directory.CreateDirectory(folder.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
