namespace DevLauncher.Tests.Infrastructure;

/// <summary>A temporary <c>Migrations:Directory</c> whose files a test writes, edits and deletes.</summary>
public sealed class MigrationFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"devlauncher-migrations-{Guid.NewGuid():N}");

    public MigrationFolder() => Directory.CreateDirectory(Path);

    public MigrationFolder Write(string fileName, string sql)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, fileName), sql);
        return this;
    }

    public MigrationFolder WriteBytes(string fileName, byte[] content)
    {
        File.WriteAllBytes(System.IO.Path.Combine(Path, fileName), content);
        return this;
    }

    public MigrationFolder Delete(string fileName)
    {
        File.Delete(System.IO.Path.Combine(Path, fileName));
        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
