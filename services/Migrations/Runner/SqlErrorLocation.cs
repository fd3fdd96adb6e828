using Npgsql;

namespace DevLauncher.Migrations.Runner;

/// <summary>Turns PostgreSQL's error position (relative to one statement) into a line of the migration file.</summary>
public static class SqlErrorLocation
{
    public static string Describe(string fileSql, PostgresException exception)
    {
        // Npgsql sends a file's statements one by one; the position PostgreSQL reports is inside the failing one.
        var statement = exception.BatchCommand?.CommandText;
        var statementStart = string.IsNullOrEmpty(statement) ? -1 : fileSql.IndexOf(statement.Trim(), StringComparison.Ordinal);
        if (statementStart < 0)
        {
            return exception.Position > 0 ? $" (at character {exception.Position} of the statement)" : "";
        }

        var offset = statementStart + Math.Max(0, exception.Position - 1) -
            (statement!.Length - statement.TrimStart().Length);
        var line = 1 + fileSql.AsSpan(0, Math.Clamp(offset, 0, fileSql.Length)).Count('\n');
        return exception.Position > 0 ? $" (line {line}, character {exception.Position} of the statement)" : $" (statement at line {line})";
    }
}
