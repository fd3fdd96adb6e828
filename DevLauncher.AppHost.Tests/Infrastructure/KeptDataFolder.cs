using DevLauncher.AppHost.Postgres;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The local server's data folder kept from one app start to the next, as a developer's <c>.devlauncher/postgres</c>
/// is: handed to each <see cref="TestAppHost"/> after its own folder (the last value of a key wins), deleted at the end.
/// </summary>
public sealed class KeptDataFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"devlauncher-kept-postgres-{Guid.NewGuid():N}");

    public string Argument => $"--{PostgresSettings.DataDirectoryKey}={Path}";

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
