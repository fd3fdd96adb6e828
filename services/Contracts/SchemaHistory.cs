namespace DevLauncher.Contracts;

/// <summary>The table where the worker records each applied migration: the worker writes it, the gate and the AppHost read it.</summary>
public static class SchemaHistory
{
    public const string Table = "devlauncher.schema_history";
}
