using Npgsql;

namespace DevLauncher.Migrations.Runner;

/// <summary>Turns PostgreSQL's error position (relative to one statement) into a line of the migration file.</summary>
public static class SqlErrorLocation
{
    public static string Describe(string fileSql, SqlStatement? failed, PostgresException exception)
    {
        if (failed is not { } statement)
        {
            return "";
        }

        var offset = statement.Offset + Math.Max(0, exception.Position - 1);
        var line = 1 + fileSql.AsSpan(0, Math.Min(offset, fileSql.Length)).Count('\n');
        return exception.Position > 0
            ? $" (line {line}, character {exception.Position} of the statement)"
            : $" (in the statement at line {line})";
    }
}
