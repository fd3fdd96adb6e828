using System.Security.Cryptography;
using System.Text;

namespace DevLauncher.Migrations.Engine;

/// <summary>The migrations and the seeds a run would use, read and checked as the worker reads them.</summary>
public sealed class MigrationFiles
{
    internal MigrationFiles(IReadOnlyList<MigrationScript> migrations, IReadOnlyList<SeedScript> seeds)
    {
        Migrations = migrations;
        Seeds = seeds;
        Fingerprint = FingerprintOf(migrations, seeds);
    }

    /// <summary>In version order.</summary>
    public IReadOnlyList<MigrationScript> Migrations { get; }

    /// <summary>In file-name order (ordinal); empty without a seeds folder.</summary>
    internal IReadOnlyList<SeedScript> Seeds { get; }

    /// <summary>
    /// Hex SHA-256 over each file's name and checksum, migrations then seeds: it changes when a file is added, removed,
    /// renamed or edited, and only then (line endings and a byte order mark are not edits, as for drift).
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>The <c>.sql</c> files of the two folders (the extension in any case), as <c>Migrations:Directory</c> and <c>Migrations:SeedsDirectory</c>.</summary>
    /// <exception cref="MigrationValidationException">A migration is misnamed, or two have the same version.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    public static MigrationFiles Load(string migrationsDirectory, string? seedsDirectory) =>
        new(MigrationScriptSource.MigrationsIn(migrationsDirectory),
            string.IsNullOrWhiteSpace(seedsDirectory) ? [] : MigrationScriptSource.SeedsIn(seedsDirectory));

    private static string FingerprintOf(IReadOnlyList<MigrationScript> migrations, IReadOnlyList<SeedScript> seeds)
    {
        // The kind is hashed too, so that a file moved from one folder to the other changes the fingerprint; NUL
        // cannot be part of a file name, so no two lists of names hash the same text.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = migrations.Select(m => ("migration", m.FileName, m.Checksum)).Concat(seeds.Select(s => ("seed", s.FileName, s.Checksum)));
        foreach (var (kind, fileName, checksum) in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{kind}\0{fileName}\0{checksum}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
