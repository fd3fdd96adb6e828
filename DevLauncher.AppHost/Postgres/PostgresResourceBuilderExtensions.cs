using DevLauncher.Contracts;
using DevLauncher.LocalPostgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.AppHost.Postgres;

/// <summary>
/// The two PostgreSQL resources Aspire does not have: a server from the machine's own programs, and a server someone
/// else runs. Both carry a health check and create nothing they do not own, as Aspire's container resource does.
/// </summary>
public static class PostgresResourceBuilderExtensions
{
    private const int MaxConnections = 300;

    /// <summary>
    /// PostgreSQL from the machine's initdb and postgres: initdb once into the cluster's folder (kept between
    /// runs), then the server in the foreground, started, watched and stopped by the orchestrator, logging to the
    /// dashboard. The superuser's password is the cluster's own, generated at initdb and kept beside it.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, PostgresCluster cluster)
    {
        var password = builder.AddParameter($"{name}-password", cluster.EnsureSuperUserPassword, secret: true);
        var (command, arguments) = cluster.ForegroundServerCommand([]);
        var server = new LocalPostgresServerResource(name, command, cluster.RootDirectory, password.Resource);

        string? connectionString = null;
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not available yet."),
            name: healthCheckKey,
            // The maintenance database, and no pool: an idle pooled connection would hold up the server's shutdown.
            configure: connection => connection.ConnectionString += ";Database=postgres;Pooling=false");

        return builder.AddResource(server)
            .WithArgs([.. arguments])
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", env: "PGPORT")
            .WithEnvironment("LC_MESSAGES", "C")
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest()
            .OnBeforeResourceStarted(async (r, e, ct) =>
            {
                await PublishDatabasesStateAsync(r, e.Services, KnownResourceStates.Starting);
                await PrepareClusterAsync(cluster, r, e.Services, ct);
            })
            .OnConnectionStringAvailable(async (r, _, ct) => connectionString = await r.ConnectionStringExpression.GetValueAsync(ct))
            .OnResourceReady(async (r, e, ct) =>
            {
                await CreateDatabasesAsync(r, e.Services, ct);
                await PublishDatabasesStateAsync(r, e.Services, KnownResourceStates.Running);
            })
            .OnResourceStopped((r, e, _) => PublishDatabasesStateAsync(r, e.Services, e.ResourceEvent.Snapshot.State?.Text ?? KnownResourceStates.Exited));
    }

    /// <summary>
    /// A server that already runs, from a connection string that names its database as the owner. Nothing is started;
    /// the resource is Running from the start and healthy once the database answers.
    /// </summary>
    public static IResourceBuilder<ExistingPostgresServerResource> AddExistingPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, NpgsqlConnectionStringBuilder ownerConnection)
    {
        var serverOnly = new NpgsqlConnectionStringBuilder(ownerConnection.ConnectionString) { Database = null };
        var parameter = builder.AddParameter($"{name}-connection-string", () => serverOnly.ConnectionString, secret: true);
        var server = new ExistingPostgresServerResource(name, parameter.Resource);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(ownerConnection.ConnectionString, name: healthCheckKey);

        return builder.AddResource(server)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgreSQL (existing server)",
                State = KnownResourceStates.Waiting,
                Properties = [new(CustomResourceKnownProperties.Source, $"{ownerConnection.Host}:{ownerConnection.Port}")],
            })
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest()
            .OnInitializeResource(MarkRunningAsync);
    }

    /// <summary>A database on a local or existing server; on a local server it is created when missing.</summary>
    public static IResourceBuilder<AppDatabaseResource> AddDatabase<TServer>(
        this IResourceBuilder<TServer> server, [ResourceName] string name, string? databaseName = null)
        where TServer : IPostgresServer
    {
        var database = new AppDatabaseResource(name, databaseName ?? name, server.Resource);
        string? connectionString = null;
        var healthCheckKey = $"{name}_check";
        server.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not available yet."),
            name: healthCheckKey);

        return server.ApplicationBuilder.AddResource(database)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey)
            .OnConnectionStringAvailable(async (r, _, ct) => connectionString = await r.ConnectionStringExpression.GetValueAsync(ct));
    }

    private static async Task PrepareClusterAsync(PostgresCluster cluster, IResource server, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        await cluster.InitializeAsync(MaxConnections, logger, cancellationToken);
        await cluster.StopLeftoverServerAsync(logger, cancellationToken);
    }

    private static async Task CreateDatabasesAsync(LocalPostgresServerResource server, IServiceProvider services, CancellationToken cancellationToken)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using var connection = new NpgsqlConnection($"{connectionString};Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken);
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        foreach (var database in DatabasesOf(server, services))
        {
            await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", connection);
            exists.Parameters.Add(new NpgsqlParameter { Value = database.DatabaseName });
            if (await exists.ExecuteScalarAsync(cancellationToken) is true)
            {
                continue;
            }

            await using var create = new NpgsqlCommand($"CREATE DATABASE {PostgresIdentifier.Quote(database.DatabaseName)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Created database {Database}", database.DatabaseName);
        }
    }

    /// <summary>An existing server and its databases are running as soon as the app is: health checks say the rest.</summary>
    private static async Task MarkRunningAsync(ExistingPostgresServerResource server, InitializeResourceEvent e, CancellationToken cancellationToken)
    {
        IEnumerable<IResource> hierarchy = [server, .. DatabasesOf(server, e.Services)];
        foreach (var resource in hierarchy)
        {
            await e.Eventing.PublishAsync(new BeforeResourceStartedEvent(resource, e.Services), cancellationToken);
            await e.Eventing.PublishAsync(new ConnectionStringAvailableEvent(resource, e.Services), cancellationToken);
            await e.Notifications.PublishUpdateAsync(resource, s => s with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = (e.Services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow().UtcDateTime,
            });
        }
    }

    /// <summary>
    /// Aspire hands a container's state down to its databases, but not an executable's: the local server does it here,
    /// so that <c>appdb</c> is Running (and its health checked) only once the server is up and the database exists.
    /// </summary>
    private static async Task PublishDatabasesStateAsync(IPostgresServer server, IServiceProvider services, string state)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        foreach (var database in DatabasesOf(server, services))
        {
            await notifications.PublishUpdateAsync(database, s => s with { State = state });
        }
    }

    private static IEnumerable<AppDatabaseResource> DatabasesOf(IPostgresServer server, IServiceProvider services) =>
        services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<AppDatabaseResource>().Where(d => d.Parent == server);
}
