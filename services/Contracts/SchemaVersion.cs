using System.Globalization;

namespace DevLauncher.Contracts;

/// <summary>How a schema version (the number in front of a migration file's name) is written everywhere: 0007.</summary>
public static class SchemaVersion
{
    public const string None = "none";

    public static string Format(long version) => version.ToString("D4", CultureInfo.InvariantCulture);

    public static string Format(long? version) => version is { } known ? Format(known) : None;
}

/// <summary>The table where the worker records each applied migration: the worker writes it, the gate and the AppHost read it.</summary>
public static class SchemaHistory
{
    public const string Table = "devlauncher.schema_history";
}

/// <summary>
/// The session-level advisory lock every worker holds while it reads the history and applies migrations. The key is
/// computed by the server, so any tool (psql, a script, the AppHost's reset) can take the same lock to keep workers out.
/// </summary>
public static class MigrationLockKey
{
    public const string Sql = "hashtextextended('devlauncher.migrations', 0)";
}
