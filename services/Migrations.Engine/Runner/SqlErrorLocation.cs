using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>Turns PostgreSQL's error position (relative to one statement, or a row of COPY data) into a line of the file.</summary>
internal static partial class SqlErrorLocation
{
    /// <summary>The server's error as the log says it: the SQLSTATE, the message, where in the file, and the detail.</summary>
    public static string Explain(string fileSql, SqlStatement? failed, PostgresException exception) =>
        $"SQLSTATE {exception.SqlState}: {exception.MessageText}{Describe(fileSql, failed, exception)}" +
        (exception.Detail is { Length: > 0 } detail ? $" Detail: {detail}" : "");

    public static string Describe(string fileSql, SqlStatement? failed, PostgresException exception)
    {
        if (Line(fileSql, failed, exception) is not { } line)
        {
            return "";
        }

        if (failed!.CopyData is not null && CopyRow(exception.Where) is { } row)
        {
            return $" (line {line}, row {row} of the COPY data)";
        }

        return exception.Position > 0
            ? $" (line {line}, character {exception.Position} of the statement)"
            : $" (in the statement at line {line})";
    }

    /// <summary>The line of the file where the error is: its position in the statement, or the bad row of COPY data.</summary>
    public static int? Line(string fileSql, SqlStatement? failed, PostgresException exception)
    {
        if (failed is null)
        {
            return null;
        }

        return failed.CopyData is { } data && CopyRow(exception.Where) is { } row
            ? LineOf(fileSql, data.Offset) + row - 1
            : LineOf(fileSql, failed.Offset + Math.Max(0, exception.Position - 1));
    }

    /// <summary>The 1-based line of the file that holds <paramref name="offset"/>.</summary>
    public static int LineOf(string fileSql, int offset) => 1 + fileSql.AsSpan(0, Math.Min(offset, fileSql.Length)).Count('\n');

    /// <summary>PostgreSQL names a bad row in the error's context: "COPY seed, line 2, column id: ...".</summary>
    private static int? CopyRow(string? where) =>
        where is not null && CopyContext().Match(where) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex(@"^COPY [^,]+, line (\d+)")]
    private static partial Regex CopyContext();
}
