namespace DevLauncher.AppHost.Postgres;

/// <summary>
/// A server that someone else runs, named by <c>ConnectionStrings:appdb</c>. It is on the Resources page with its
/// health like the servers we run, so a developer sees the same topology in every mode.
/// </summary>
public sealed class ExistingPostgresServerResource(string name, ParameterResource connectionString)
    : Resource(name), IPostgresServer, IResourceWithWaitSupport
{
    /// <summary>The configured connection string without its <c>Database</c>, which the database resource adds.</summary>
    public ParameterResource ServerConnectionString { get; } = connectionString;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ServerConnectionString}");
}
