using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DevLauncher.Contracts;
using Microsoft.Extensions.Options;

namespace DevLauncher.Migrations.Engine;

/// <summary>The assembly whose <c>Scripts/*.sql</c> resources are the migrations a worker ships with.</summary>
internal sealed record EmbeddedMigrations(Assembly Assembly);

/// <summary>Reads the migration files: the embedded set, or <c>Migrations:Directory</c> when it is set.</summary>
internal sealed partial class MigrationScriptSource(IOptions<MigrationOptions> options, EmbeddedMigrations embedded)
{
    public const string NoTransactionMarker = "-- devlauncher: no-transaction";

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

    public IReadOnlyList<MigrationScript> Load()
    {
        var files = string.IsNullOrWhiteSpace(options.Value.Directory)
            ? EmbeddedFiles(embedded.Assembly)
            : Directory.EnumerateFiles(options.Value.Directory, "*.sql", SqlFiles).Select(path => (Path.GetFileName(path), File.ReadAllBytes(path)));

        var scripts = files.Select(f => Parse(f.Item1, f.Item2)).OrderBy(s => s.Version).ToList();
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MigrationValidationException(duplicate.First().FileName,
                $"Two files have version {SchemaVersion.Format(duplicate.Key)}: {string.Join(", ", duplicate.Select(s => s.FileName))}.");
        }

        return scripts;
    }

    public static MigrationScript Parse(string fileName, byte[] content)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            // A file that is silently skipped is worse than a stopped run: it would never be applied.
            throw new MigrationValidationException(fileName,
                $"{fileName}: a migration file must be named NNNN_description.sql (digits, an underscore, letters, digits, _ or -).");
        }

        var (sql, encodingProblem) = MigrationFileDecoder.Decode(content);
        var firstLine = sql.TrimStart().Split('\n', 2)[0].Trim();
        var script = new MigrationScript(
            Version: long.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
            Description: match.Groups["description"].Value.Replace('_', ' '),
            FileName: fileName,
            Sql: sql,
            Checksum: Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql))),
            Transactional: !firstLine.Equals(NoTransactionMarker, StringComparison.OrdinalIgnoreCase));
        return encodingProblem is null ? WithStatements(script) : script with { Problem = $"{fileName} is not valid UTF-8: {encodingProblem}." };
    }

    /// <summary>The file split as psql splits it, or the first reason it cannot run as written.</summary>
    private static MigrationScript WithStatements(MigrationScript script)
    {
        try
        {
            var statements = SqlStatementSplitter.Split(script.Sql);
            StatementRules.Check(statements, script.Transactional);
            return script with { Statements = statements };
        }
        catch (SqlScriptException ex)
        {
            return script with { Problem = $"{script.FileName} line {SqlErrorLocation.LineOf(script.Sql, ex.Offset)}: {ex.Message}." };
        }
    }

    private static IEnumerable<(string, byte[])> EmbeddedFiles(Assembly assembly)
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
