namespace DevLauncher.Contracts;

/// <summary>
/// The words of the services' schema gate, in their <c>/health</c> and 503 answers and on the dashboard. One place, so
/// that the gate, the AppHost and the tests say the same thing.
/// </summary>
public static class SchemaGateReason
{
    public static string Versions(long required, long current) => $"needs schema {SchemaVersion.Format(required)}, database has {SchemaVersion.Format(current)}";

    public static string NoSchema(long required) =>
        $"needs schema {SchemaVersion.Format(required)}, database has {SchemaVersion.None} (the migration worker has not run)";

    public static string Unreachable(long required, string error) =>
        $"needs schema {SchemaVersion.Format(required)}, but the database cannot be reached: {error}";
}
