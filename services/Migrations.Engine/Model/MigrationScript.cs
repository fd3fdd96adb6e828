using DevLauncher.Contracts;

namespace DevLauncher.Migrations.Engine;

/// <summary>One <c>NNNN_description.sql</c> file.</summary>
/// <param name="Version">The number in front of the file name.</param>
/// <param name="Description">The rest of the name, underscores read as spaces.</param>
/// <param name="FileName">The file name, so that every message can point at the file.</param>
/// <param name="Sql">The file's text.</param>
/// <param name="Checksum">Hex SHA-256 of the text with line endings normalised, so a Windows checkout does not look like drift.</param>
/// <param name="Transactional">False when the first line is <c>-- devlauncher: no-transaction</c>.</param>
public sealed record MigrationScript(long Version, string Description, string FileName, string Sql, string Checksum, bool Transactional)
{
    /// <summary>The file's statements, as psql would send them; empty when <see cref="Problem"/> is set.</summary>
    internal IReadOnlyList<SqlStatement> Statements { get; init; } = [];

    /// <summary>
    /// Why the file cannot be applied as written, naming the file and the line; found when it is read, and reported
    /// (exit 5, nothing applied) only when the file is still to be applied.
    /// </summary>
    public string? Problem { get; init; }

    public string VersionLabel => SchemaVersion.Format(Version);
}
