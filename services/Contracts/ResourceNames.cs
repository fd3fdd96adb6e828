namespace DevLauncher.Contracts;

/// <summary>
/// The names of the resources in the topology. The AppHost names its resources with these and the services read the
/// configuration keys made from them (<c>ConnectionStrings__appdb</c>, <c>services__auth__http__0</c>), so the two
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
