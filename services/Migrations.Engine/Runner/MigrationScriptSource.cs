using System.Reflection;
using System.Text.RegularExpressions;
using DevLauncher.Contracts;

namespace DevLauncher.Migrations.Engine;

/// <summary>The assembly whose <c>Scripts/*.sql</c> resources are the migrations a worker ships with.</summary>
internal sealed record EmbeddedMigrations(Assembly Assembly);

/// <summary>
/// Reads the files a run uses: the embedded migrations, or <c>Migrations:Directory</c> when it is set, and the seeds of
/// <c>Migrations:SeedsDirectory</c> when that is set.
/// </summary>
/// <param name="embedded">Null where the migrations always come from a folder (the engine run in process).</param>
internal sealed partial class MigrationScriptSource(MigrationOptions options, EmbeddedMigrations? embedded)
{
    /// <summary>
    /// The same files on every OS: .sql in any case (Linux would otherwise skip 0002_x.SQL, which Windows reads), hidden
    /// ones too, and an unreadable file is an error rather than skipped.
    /// </summary>
    private static readonly EnumerationOptions SqlFiles = new()
    {
        MatchCasing = MatchCasing.CaseInsensitive,
        MatchType = MatchType.Simple,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
    };

    public MigrationFiles Load()
    {
        var seeds = options.SeedsDirectory;
        return new MigrationFiles(Migrations(), string.IsNullOrWhiteSpace(seeds) ? [] : SeedsIn(seeds));
    }

    private IReadOnlyList<MigrationScript> Migrations()
    {
        if (!string.IsNullOrWhiteSpace(options.Directory))
        {
            return MigrationsIn(options.Directory);
        }

        return InVersionOrder(EmbeddedFiles(embedded?.Assembly
            ?? throw new InvalidOperationException("No migrations: set Migrations:Directory, or compose the engine with the worker's embedded scripts.")));
    }

    public static IReadOnlyList<MigrationScript> MigrationsIn(string directory) => InVersionOrder(FilesIn(directory));

    public static IReadOnlyList<SeedScript> SeedsIn(string directory) =>
        [.. FilesIn(directory).Select(f => ParseSeed(f.FileName, f.Content)).OrderBy(s => s.FileName, StringComparer.Ordinal)];

    public static MigrationScript Parse(string fileName, byte[] content)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            // A file that is silently skipped is worse than a stopped run: it would never be applied.
            throw new MigrationValidationException(fileName,
                $"{fileName}: a migration file must be named NNNN_description.sql (digits, an underscore, letters, digits, _ or -).");
        }

        var (sql, checksum, encodingProblem) = ScriptText.Read(content);
        var script = new MigrationScript(
            Version: long.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
            Description: match.Groups["description"].Value.Replace('_', ' '),
            FileName: fileName,
            Sql: sql,
            Checksum: checksum,
            Transactional: !ScriptText.HasNoTransactionMarker(sql));
        return encodingProblem is null ? WithStatements(script) : script with { Problem = $"{fileName} is not valid UTF-8: {encodingProblem}." };
    }

    /// <summary>A seed is any <c>.sql</c> file; it is checked as a migration is, and may not leave the seeds' one transaction.</summary>
    public static SeedScript ParseSeed(string fileName, byte[] content)
    {
        var (sql, checksum, encodingProblem) = ScriptText.Read(content);
        var seed = new SeedScript(fileName, sql, checksum);
        if (encodingProblem is not null)
        {
            return seed with { Problem = $"{fileName} is not valid UTF-8: {encodingProblem}." };
        }

        if (ScriptText.HasNoTransactionMarker(sql))
        {
            return seed with
            {
                Problem = $"{fileName} line {SqlErrorLocation.LineOf(sql, sql.Length - sql.TrimStart().Length)}: {ScriptText.NoTransactionMarker} " +
                    "is for migrations; every seed runs in one transaction with the others, so remove the line.",
            };
        }

        var (statements, problem) = ScriptText.Split(fileName, sql, ScriptKind.Seed);
        return seed with { Statements = statements, Problem = problem };
    }

    private static MigrationScript WithStatements(MigrationScript script)
    {
        var (statements, problem) = ScriptText.Split(script.FileName, script.Sql,
            script.Transactional ? ScriptKind.Migration : ScriptKind.NoTransactionMigration);
        return script with { Statements = statements, Problem = problem };
    }

    private static List<MigrationScript> InVersionOrder(IEnumerable<(string FileName, byte[] Content)> files)
    {
        var scripts = files.Select(f => Parse(f.FileName, f.Content)).OrderBy(s => s.Version).ToList();
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MigrationValidationException(duplicate.First().FileName,
                $"Two files have version {SchemaVersion.Format(duplicate.Key)}: {string.Join(", ", duplicate.Select(s => s.FileName))}.");
        }

        return scripts;
    }

    private static IEnumerable<(string FileName, byte[] Content)> FilesIn(string directory) =>
        Directory.EnumerateFiles(directory, "*.sql", SqlFiles).Select(path => (Path.GetFileName(path), File.ReadAllBytes(path)));

    private static IEnumerable<(string FileName, byte[] Content)> EmbeddedFiles(Assembly assembly)
    {
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Scripts/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            yield return (name["Scripts/".Length..], buffer.ToArray());
        }
    }

    [GeneratedRegex(@"^(?<version>\d{1,18})_(?<description>[A-Za-z0-9][A-Za-z0-9_\-]*)\.(?i:sql)$")]
    private static partial Regex FileNamePattern();
}

/// <summary>The files cannot be read as migrations: nothing is applied.</summary>
/// <param name="fileName">The file at fault, for a short summary.</param>
public sealed class MigrationValidationException(string fileName, string message) : Exception(message)
{
    public string FileName { get; } = fileName;
}
