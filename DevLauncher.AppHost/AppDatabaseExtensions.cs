using DevLauncher.AppHost.Postgres;
using DevLauncher.LocalPostgres;
using Microsoft.Extensions.Logging.Abstractions;
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
    /// <summary>Start from an empty database: the local server's data folder is deleted before anything starts.</summary>
    public const string ResetKey = "DevLauncher:Postgres:Reset";

    /// <summary>
    /// <c>postgres</c> and its database <c>appdb</c>, in the mode the settings chose, and <c>appdb-service</c>: the same
    /// database as the service role. Every mode gives the same resource names and connection-string shapes.
    /// </summary>
    public static AppDatabase AddAppDatabase(this IDistributedApplicationBuilder builder, PostgresSettings settings)
    {
        // Only a run resets: publishing a manifest must not delete anyone's data.
        var reset = builder.Configuration.GetValue<bool>(ResetKey) && builder.ExecutionContext.IsRunMode;
        if (reset && settings.Mode != PostgresMode.Local)
        {
            throw new PostgresSettingsException(ResetDoesNotApply(settings.Mode));
        }

        // Generated once and kept in the AppHost's user secrets.
        var servicePassword = builder.AddParameter("service-password",
            new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);

        var (owner, serviceConnectionString) = settings.Mode switch
        {
            PostgresMode.Container => builder.AddContainerDatabase(servicePassword.Resource),
            PostgresMode.Local => builder.AddLocalDatabase(settings, reset, servicePassword.Resource),
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
        this IDistributedApplicationBuilder builder, PostgresSettings settings, bool reset, ParameterResource servicePassword)
    {
        var cluster = settings.LocalCluster();
        if (reset)
        {
            DeleteCluster(cluster);
        }

        var postgres = builder.AddLocalPostgres(ResourceNames.Postgres, cluster);
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
            $"{server.ConnectionString};Username={ServiceRole.Name};Password={servicePassword};Database={owner.Database}"));
    }

    /// <summary>The cluster and its superuser's password, before anything reads them: this start runs initdb.</summary>
    private static void DeleteCluster(PostgresCluster cluster)
    {
        // A server that a killed run left on the folder would go on running on deleted files. The model is built
        // synchronously, before any resource starts, so this waits for pg_ctl here.
        cluster.StopLeftoverServerAsync(NullLogger.Instance, CancellationToken.None).GetAwaiter().GetResult();
        if (Directory.Exists(cluster.RootDirectory))
        {
            Directory.Delete(cluster.RootDirectory, recursive: true);
        }
    }

    private static string ResetDoesNotApply(PostgresMode mode) => mode == PostgresMode.Container
        ? $"{ResetKey} deletes the local server's data folder, and postgres is a container here: stop the AppHost, remove the " +
          "postgres container (docker ps -a), then its data volume (docker volume ls, the one ending in -postgres-data) with docker volume rm."
        : $"{ResetKey} does not apply to an existing server (ConnectionStrings:{ResourceNames.Database}): its database is not the " +
          $"AppHost's to delete; drop and re-create it yourself, or leave {ResetKey} unset.";

    private static ReferenceExpression ServiceConnectionString(
        EndpointReferenceExpression host, EndpointReferenceExpression port, string database, ParameterResource servicePassword) =>
        ReferenceExpression.Create($"Host={host};Port={port};Username={ServiceRole.Name};Password={servicePassword};Database={database}");
}
