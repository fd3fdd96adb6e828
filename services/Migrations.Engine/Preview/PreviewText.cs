using System.Globalization;

namespace DevLauncher.Migrations.Engine;

/// <summary>Numbers as the preview writes them, the same on every machine.</summary>
internal static class PreviewText
{
    public static string Ms(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0} ms");

    public static string Count(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");

    /// <summary>A statement's first line, cut short: enough to recognise it beside its line number.</summary>
    public static string Abbreviate(string sql)
    {
        var first = sql.Split('\n', 2)[0].Trim();
        return first.Length <= 60 && !sql.Contains('\n', StringComparison.Ordinal) ? first : first[..Math.Min(first.Length, 57)].TrimEnd() + "...";
    }
}
