using DevLauncher.LocalPostgres;

namespace DevLauncher.Hosting.Postgres;

/// <summary>
/// The local server: PostgreSQL run from the machine's own programs as an executable that the orchestrator starts,
/// watches and stops, for machines without a container runtime. Its connection string has the container resource's
/// shape, so a database on it looks the same to everything downstream. Its cluster (the data folder) is chosen when
/// the app starts (<see cref="Cluster"/>), since whether the server's user can reach the configured folder is a fact of
/// the machine, not of the model.
/// </summary>
internal sealed class LocalPostgresServerResource(string name, ParameterResource password, LocalCluster cluster)
    // env execs the command chosen at start (setpriv as root, else sh), so the process the orchestrator watches is the server's.
    : ExecutableResource(name, "env", "/"), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    public EndpointReferenceExpression Host => PrimaryEndpoint.Property(EndpointProperty.Host);

    public EndpointReferenceExpression Port => PrimaryEndpoint.Property(EndpointProperty.Port);

    public ParameterResource PasswordParameter { get; } = password;

    public LocalCluster Cluster { get; } = cluster;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Host};Port={Port};Username={PostgresCluster.SuperUser};Password={PasswordParameter}");
}
