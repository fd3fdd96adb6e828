using DevLauncher.Hosting.Migrations;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// A copy of the worker's migration files in a folder of the test's own, handed to the AppHost as
/// <c>DevLauncher:MigrationsDirectory</c>, so that a test can add, break or edit a file as a developer would.
/// </summary>
public sealed class ScratchMigrations : IDisposable, IAsyncDisposable
{
    private ScratchMigrations(string path) => Path = path;

    public string Path { get; }

    /// <summary>The files in services/Migrations/Scripts, in version order.</summary>
    public static IReadOnlyList<string> Scripts { get; } = [.. Directory.GetFiles(ScriptsDirectory, "*.sql").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    public string Argument => $"--{WorkerFiles.MigrationsDirectoryKey}={Path}";

    /// <param name="count">How many of the worker's files, from the first; all by default.</param>
    public static ScratchMigrations CopyOfScripts(int? count = null)
    {
        var scratch = new ScratchMigrations(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"devlauncher-scratch-migrations-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(scratch.Path);
        foreach (var name in Scripts.Take(count ?? Scripts.Count))
        {
            File.Copy(System.IO.Path.Combine(ScriptsDirectory, name), System.IO.Path.Combine(scratch.Path, name));
        }

        return scratch;
    }

    public ScratchMigrations Write(string fileName, string sql)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, fileName), sql);
        return this;
    }

    public ScratchMigrations Append(string fileName, string sql)
    {
        File.AppendAllText(System.IO.Path.Combine(Path, fileName), sql);
        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static string ScriptsDirectory => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(new Projects.DevLauncher_Migrations().ProjectPath)!, "Scripts");
}
