using System.Security.Cryptography;
using System.Text;

namespace DevLauncher.Migrations.Engine;

/// <summary>How a file runs, which decides the rules its statements must meet.</summary>
internal enum ScriptKind
{
    /// <summary>A migration in one transaction with its history row.</summary>
    Migration,

    /// <summary>A migration whose first line is the no-transaction marker: its statements one by one.</summary>
    NoTransactionMigration,

    /// <summary>A seed, in one transaction with every other seed and their seed_history rows.</summary>
    Seed,
}

/// <summary>What migrations and seeds share once read: the text, its checksum, and its statements or why it cannot run.</summary>
internal static class ScriptText
{
    public const string NoTransactionMarker = "-- devlauncher: no-transaction";

    /// <returns>The text, the hex SHA-256 of that text, and null or why the bytes are not UTF-8.</returns>
    public static (string Sql, string Checksum, string? EncodingProblem) Read(byte[] content)
    {
        var (sql, encodingProblem) = MigrationFileDecoder.Decode(content);
        return (sql, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql))), encodingProblem);
    }

    public static bool HasNoTransactionMarker(string sql) =>
        sql.TrimStart().Split('\n', 2)[0].Trim().Equals(NoTransactionMarker, StringComparison.OrdinalIgnoreCase);

    /// <summary>The file split as psql splits it, or the first reason it cannot run as written, naming the file and the line.</summary>
    public static (IReadOnlyList<SqlStatement> Statements, string? Problem) Split(string fileName, string sql, ScriptKind kind)
    {
        try
        {
            var statements = SqlStatementSplitter.Split(sql);
            StatementRules.Check(statements, kind);
            return (statements, null);
        }
        catch (SqlScriptException ex)
        {
            return ([], $"{fileName} line {SqlErrorLocation.LineOf(sql, ex.Offset)}: {ex.Message}.");
        }
    }
}
