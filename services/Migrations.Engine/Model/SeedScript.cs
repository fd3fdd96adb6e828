namespace DevLauncher.Migrations.Engine;

/// <summary>
/// One file of development data from <c>Migrations:SeedsDirectory</c>: run once, on a new database, after its
/// migrations, in one transaction with every other seed.
/// </summary>
/// <param name="FileName">The file name, which also orders the seeds (ordinal).</param>
/// <param name="Sql">The file's text.</param>
/// <param name="Checksum">Hex SHA-256 of the text with line endings normalised, as a migration's.</param>
internal sealed record SeedScript(string FileName, string Sql, string Checksum)
{
    /// <summary>The file's statements, as psql would send them; empty when <see cref="Problem"/> is set.</summary>
    internal IReadOnlyList<SqlStatement> Statements { get; init; } = [];

    /// <summary>Why the file cannot run as written, naming the file and the line; the seeds are then not run.</summary>
    public string? Problem { get; init; }
}
