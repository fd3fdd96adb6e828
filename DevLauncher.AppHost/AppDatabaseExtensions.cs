using DevLauncher.AppHost.Postgres;
using Npgsql;

namespace DevLauncher.AppHost;

/// <param name="Owner">The database as its owner: the worker's connection.</param>
/// <param name="Service">The same database as the least-privilege role migration 0007 creates: the services' connection.</param>
/// <param name="ServicePassword">The service role's password, which the worker sets after every run.</param>
public sealed record AppDatabase(
    IResourceBuilder<IResourceWithConnectionString> Owner,
    IResourceBuilder<IResourceWithConnectionString> Service,
    IResourceBuilder<ParameterResource> ServicePassword);

public static class AppDatabaseExtensions
{
    public const string ServiceRole = "devlauncher_service";

    /// <summary>
    /// <c>postgres</c> and its database <c>appdb</c>, in the mode the settings chose, and <c>appdb-service</c>: the same
    /// database as the service role. Every mode gives the same resource names and connection-string shapes.
    /// </summary>
    public static AppDatabase AddAppDatabase(this IDistributedApplicationBuilder builder, PostgresSettings settings)
    {
        // Generated once and kept in the AppHost's user secrets.
        var servicePassword = builder.AddParameter("service-password",
            new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);

        var (owner, serviceConnectionString) = settings.Mode switch
        {
            PostgresMode.Container => builder.AddContainerDatabase(servicePassword.Resource),
            PostgresMode.Local => builder.AddLocalDatabase(settings, servicePassword.Resource),
            _ => builder.AddExistingDatabase(settings.ExistingConnectionString!, servicePassword.Resource),
        };

        // A reference to the owner's database would also hand the services the owner's password (APPDB_PASSWORD, APPDB_URI).
        var service = builder.AddConnectionString($"{ResourceNames.Database}-service", serviceConnectionString);
        return new AppDatabase(owner, service, servicePassword);
    }

    private static (IResourceBuilder<IResourceWithConnectionString>, ReferenceExpression) AddContainerDatabase(
        this IDistributedApplicationBuilder builder, ParameterResource servicePassword)
    {
        // Persistent, with a volume: the database survives AppHost restarts, so F5 does not re-create it every time.
        var postgres = builder.AddPostgres(ResourceNames.Postgres,
                password: builder.AddParameter("postgres-password", new GenerateParameterDefault { MinLength = 22 }, secret: true, persist: true))
            .WithDataVolume()
            .WithLifetime(ContainerLifetime.Persistent);
        if (builder.Configuration.GetValue<bool>("DevLauncher:PgAdmin"))
        {
            postgres.WithPgAdmin();
        }

        var appdb = postgres.AddDatabase(ResourceNames.Database);
        return (appdb, ServiceConnectionString(postgres.Resource.Host, postgres.Resource.Port, appdb.Resource.DatabaseName, servicePassword));
    }

    private static (IResourceBuilder<IResourceWithConnectionString>, ReferenceExpression) AddLocalDatabase(
        this IDistributedApplicationBuilder builder, PostgresSettings settings, ParameterResource servicePassword)
    {
        var postgres = builder.AddLocalPostgres(ResourceNames.Postgres, settings.LocalCluster());
        var appdb = postgres.AddDatabase(ResourceNames.Database);
        return (appdb, ServiceConnectionString(postgres.Resource.Host, postgres.Resource.Port, appdb.Resource.DatabaseName, servicePassword));
    }

    private static (IResourceBuilder<IResourceWithConnectionString>, ReferenceExpression) AddExistingDatabase(
        this IDistributedApplicationBuilder builder, string ownerConnectionString, ParameterResource servicePassword)
    {
        var owner = new NpgsqlConnectionStringBuilder(ownerConnectionString);
        var postgres = builder.AddExistingPostgres(ResourceNames.Postgres, owner);
        var appdb = postgres.AddDatabase(ResourceNames.Database, owner.Database);
        var server = new NpgsqlConnectionStringBuilder(ownerConnectionString) { Username = null, Password = null, Database = null };
        return (appdb, ReferenceExpression.Create(
            $"{server.ConnectionString};Username={ServiceRole};Password={servicePassword};Database={owner.Database}"));
    }

    private static ReferenceExpression ServiceConnectionString(
        EndpointReferenceExpression host, EndpointReferenceExpression port, string database, ParameterResource servicePassword) =>
        ReferenceExpression.Create($"Host={host};Port={port};Username={ServiceRole};Password={servicePassword};Database={database}");
}
