using System.Globalization;
using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>This project's migration and seed files, as the AppHost hands them to the worker.</summary>
public sealed class ProjectMigrations(string root)
{
    public string Scripts => Path.Combine(root, "services", "Migrations", "Scripts");

    public string Seeds => Path.Combine(root, "services", "Migrations", "Seeds");

    /// <summary>A copy of the migrations in the run's scratch folder, for files to be added to without touching the checkout.</summary>
    public string CopyScripts(string scratch)
    {
        var folder = Directory.CreateDirectory(Path.Combine(scratch, $"scripts-{Guid.NewGuid():N}")).FullName;
        foreach (var file in Directory.EnumerateFiles(Scripts, "*.sql"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    /// <summary>The version the next migration added to <paramref name="folder"/> takes.</summary>
    public static int NextVersion(string folder) => (int)MigrationFiles.Load(folder, null).Migrations.Max(m => m.Version) + 1;
}

/// <summary>
/// The migration a developer adds next, on top of this project's: a column and an index on <c>app.threads</c>. Down is
/// the SQL an EF Core migration needs to take it back; Undo needs none.
/// </summary>
public sealed record NewMigration(int Version)
{
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{SchemaVersion.Format(Version)}_threads_note_{Version}");

    public string FileName => Name + ".sql";

    public string Up => string.Create(CultureInfo.InvariantCulture,
        $"ALTER TABLE app.threads ADD COLUMN note_{Version} text;\nCREATE INDEX threads_note_{Version}_idx ON app.threads (note_{Version});\n");

    public string Down => string.Create(CultureInfo.InvariantCulture,
        $"DROP INDEX app.threads_note_{Version}_idx;\nALTER TABLE app.threads DROP COLUMN note_{Version};\n");

    /// <returns>The file's path.</returns>
    public string WriteTo(string folder)
    {
        var path = Path.Combine(folder, FileName);
        File.WriteAllText(path, Up);
        return path;
    }
}
