namespace DevLauncher.AppHost.Postgres;

/// <summary>
/// A database on a local or existing PostgreSQL server; Aspire's PostgresDatabaseResource has the same shape but
/// takes only its container as a parent. The connection string is the server's plus <c>Database=</c>.
/// </summary>
public sealed class AppDatabaseResource(string name, string databaseName, IPostgresServer parent)
    : Resource(name), IResourceWithParent<IPostgresServer>, IResourceWithConnectionString
{
    public IPostgresServer Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
