namespace DevLauncher.AppHost.Postgres;

/// <summary>
/// PostgreSQL run from the machine's own server programs as an executable that the orchestrator starts, watches and
/// stops, for machines without a container runtime. Its connection string has the container resource's shape, so a
/// database on it looks the same to everything downstream.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string command, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, dataDirectory), IPostgresServer
{
    internal const string PrimaryEndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    public EndpointReferenceExpression Host => PrimaryEndpoint.Property(EndpointProperty.Host);

    public EndpointReferenceExpression Port => PrimaryEndpoint.Property(EndpointProperty.Port);

    /// <summary>The folder that holds the cluster (<c>data/</c>) and its superuser's password.</summary>
    public string DataDirectory { get; } = dataDirectory;

    public ParameterResource PasswordParameter { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Host};Port={Port};Username={LocalPostgres.PostgresCluster.SuperUser};Password={PasswordParameter}");
}
