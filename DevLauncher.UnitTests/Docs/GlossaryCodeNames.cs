using System.Text.RegularExpressions;

namespace DevLauncher.UnitTests.Docs;

/// <summary>
/// The code names of <c>docs/glossary.md</c>, by the rule the glossary states: a name in backticks in a table row's last
/// column that reads as C# (an identifier starting with a capital letter, or several joined by dots). It exists when
/// each of its parts is a whole word in one and the same product <c>.cs</c> file, comments left out.
/// </summary>
internal static partial class GlossaryCodeNames
{
    /// <summary>The code names of the glossary's table rows, in order.</summary>
    public static IReadOnlyList<string> In(string glossary) =>
        [.. glossary.Split('\n')
            .Where(line => line.StartsWith('|') && !line.StartsWith("| ---", StringComparison.Ordinal))
            .Select(line => line.TrimEnd().TrimEnd('|').Split('|')[^1])
            .SelectMany(column => Backticked().Matches(column).Select(m => m.Groups[1].Value))
            .Where(name => CodeName().IsMatch(name))];

    /// <summary>The names of <paramref name="names"/> that no source has outside its comments.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<string> names, IReadOnlyList<string> sources)
    {
        var code = sources.Select(WithoutComments).ToList();
        return [.. names.Where(name => !code.Any(source => Has(source, name)))];
    }

    /// <summary>The text of the product projects' C# files: every <c>.cs</c> file outside tests, the bench and build output.</summary>
    public static IReadOnlyList<string> ProductSources(string root) =>
        [.. Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => IsProduct(Path.GetRelativePath(root, path)))
            .Select(File.ReadAllText)];

    private static bool Has(string source, string name) =>
        name.Split('.').All(part => Regex.IsMatch(source, $@"\b{Regex.Escape(part)}\b"));

    private static bool IsProduct(string relativePath)
    {
        var folders = relativePath.Split(Path.DirectorySeparatorChar)[..^1];
        return !folders.Any(folder => folder is "bin" or "obj" or "bench" || folder.EndsWith("Tests", StringComparison.Ordinal) ||
            folder.StartsWith("DevLauncher.Tests", StringComparison.Ordinal) || folder.StartsWith('.'));
    }

    // Line comments only: the sources write no block comments, and a doc comment's cref must not count as the code.
    private static string WithoutComments(string source) =>
        string.Join('\n', source.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9_]*(\.[A-Z][A-Za-z0-9_]*)*$")]
    private static partial Regex CodeName();
}
