namespace DevLauncher.Testing;

/// <summary>A folder of the caller's own under the system's temporary folder, deleted with everything in it.</summary>
public sealed class TemporaryFolder : IDisposable
{
    /// <summary>0700, as <c>mktemp -d</c> makes a folder: only its owner may enter.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private TemporaryFolder(string path) => Path = path;

    public string Path { get; }

    /// <summary>The folder, not created: for a program that creates it itself (the AppHost creates a data folder for the server's user).</summary>
    public static TemporaryFolder Named(string prefix = "devlauncher") =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"));

    /// <summary>The mode is set after creating, so the process's umask does not change it.</summary>
    public static TemporaryFolder Create(UnixFileMode mode = OwnerOnly, string prefix = "devlauncher")
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("A folder's mode is a Unix permission.");
        }

        var folder = Named(prefix);
        Directory.CreateDirectory(folder.Path);
        File.SetUnixFileMode(folder.Path, mode);
        return folder;
    }

    /// <summary>Deletes the folder with everything in it, if it is there; its path may be used again (a cold start's data folder).</summary>
    public void Delete()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    public void Dispose() => Delete();
}
