namespace DevLauncher.ServiceDefaults;

/// <summary>
/// The names of the resources in the topology. The AppHost and the Standalone host both use these,
/// so the configuration keys they inject (<c>ConnectionStrings__appdb</c>, <c>services__auth__http__0</c>)
/// cannot drift apart.
/// </summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Database = "appdb";
    public const string Migrations = "migrations";
    public const string Auth = "auth";
    public const string Backend = "backend";
    public const string Frontend = "frontend";
}
