namespace DevLauncher.Migrations.Engine;

/// <summary>PostgreSQL's table lock modes, as <c>pg_locks</c> names them, and what each keeps the application from doing.</summary>
internal static class LockModes
{
    /// <summary>Weakest first: each blocks at least what the ones before it block (PostgreSQL's conflict table).</summary>
    private static readonly string[] Order =
    [
        "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
        "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
    ];

    private const int Share = 4;
    private const int AccessExclusive = 7;

    public static int Strength(string mode) => Array.IndexOf(Order, mode);

    /// <summary>SHARE and stronger conflict with ROW EXCLUSIVE, the lock every INSERT, UPDATE and DELETE takes.</summary>
    public static bool BlocksWrites(string mode) => Strength(mode) >= Share;

    public static bool BlocksReads(string mode) => Strength(mode) == AccessExclusive;

    /// <summary>The mode as the documentation and <c>LOCK TABLE</c> spell it: <c>ShareRowExclusiveLock</c> is SHARE ROW EXCLUSIVE.</summary>
    public static string Name(string mode)
    {
        var words = new System.Text.StringBuilder();
        foreach (var c in mode.EndsWith("Lock", StringComparison.Ordinal) ? mode[..^4] : mode)
        {
            words.Append(char.IsUpper(c) && words.Length > 0 ? " " : "").Append(char.ToUpperInvariant(c));
        }

        return words.ToString();
    }

    public static string Blocks(string mode, string table) =>
        BlocksReads(mode) ? $"blocks reads and writes of {table}"
        : BlocksWrites(mode) ? $"blocks writes of {table}"
        : $"blocks neither reads nor writes of {table}";
}
