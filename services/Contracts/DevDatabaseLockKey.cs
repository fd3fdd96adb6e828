namespace DevLauncher.Contracts;

/// <summary>
/// The advisory lock, taken on a server's maintenance database, that AppHosts sharing a server hold while they create,
/// copy, rename or drop the schema loop's databases there, so two of them never work on the same database at once.
/// </summary>
public static class DevDatabaseLockKey
{
    public const string Sql = "hashtextextended('devlauncher.databases', 0)";
}
