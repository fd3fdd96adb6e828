namespace DevLauncher.Contracts;

/// <summary>
/// The session-level advisory lock every worker holds while it reads the history and applies migrations. The key is
/// computed by the server, so any tool (psql, a script, the AppHost's reset) can take the same lock to keep workers out.
/// </summary>
public static class MigrationLockKey
{
    public const string Sql = "hashtextextended('devlauncher.migrations', 0)";
}
