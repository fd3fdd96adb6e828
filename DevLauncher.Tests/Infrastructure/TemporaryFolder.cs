namespace DevLauncher.Tests.Infrastructure;

/// <summary>A folder in the temporary directory with the mode a test needs, deleted with everything in it.</summary>
public sealed class TemporaryFolder : IDisposable
{
    private TemporaryFolder(string path) => Path = path;

    /// <summary>0700, as <c>mktemp -d</c> makes a folder: only its owner may enter.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Path { get; }

    /// <summary>The mode is set after creating, so the process's umask does not change it.</summary>
    public static TemporaryFolder Create(UnixFileMode mode = OwnerOnly)
    {
        var folder = Directory.CreateTempSubdirectory("devlauncher-");
        File.SetUnixFileMode(folder.FullName, mode);
        return new TemporaryFolder(folder.FullName);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
