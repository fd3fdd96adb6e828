namespace DevLauncher.AppHost.Postgres;

/// <summary>A PostgreSQL server that is not Aspire's container: the local executable, or an existing server.</summary>
public interface IPostgresServer : IResourceWithConnectionString
{
}
