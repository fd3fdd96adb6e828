using DevLauncher.LocalPostgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using DevLauncher.Hosting.Terminal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace DevLauncher.Hosting.Postgres;

/// <summary>
/// The PostgreSQL resources Aspire does not have: the local server (from the machine's own programs), and a database
/// on a server the AppHost runs whose name is chosen at start. Both carry health checks built on
/// AspNetCore.HealthChecks.NpgSql, as Aspire's own PostgreSQL resources do.
/// </summary>
internal static class PostgresResourceBuilderExtensions
{
    private const int MaxConnections = 300;

    /// <summary>
    /// The local server: initdb once into its cluster (kept between runs), then the server in the foreground, started,
    /// watched and stopped by the orchestrator, logging to the dashboard. Where the cluster lives, and whether another
    /// AppHost holds it, is settled when the app starts; a refusal is one line and exit code 2.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, PostgresSettings settings)
    {
        var cluster = new LocalCluster(settings);
        var password = builder.AddParameter($"{name}-password", () => cluster.Cluster.EnsureSuperUserPassword(), secret: true);
        var server = new LocalPostgresServerResource(name, password.Resource, cluster);
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.TryAddSingleton<TerminalOutput>();
            builder.Eventing.Subscribe<BeforeStartEvent>((e, ct) => OpenClusterAsync(cluster, e.Services, ct));
        }

        return builder.AddResource(server)
            .WithArgs(context =>
            {
                foreach (var argument in ServerCommand(cluster.Cluster))
                {
                    context.Args.Add(argument);
                }
            })
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", env: "PGPORT")
            .WithEnvironment("LC_MESSAGES", "C")
            .WithIconName("DatabaseMultiple")
            .WithNpgsqlHealthCheck(database: "postgres")
            .ExcludeFromManifest()
            .OnBeforeResourceStarted((r, e, ct) => PrepareClusterAsync(r, e.Services, ct))
            // Aspire hands a container's state down to its databases but not an executable's: the local server does it here.
            .OnBeforeResourceStarted((r, e, _) => PublishDatabaseStateAsync(r, e.Services, KnownResourceStates.Starting))
            .OnResourceStopped((r, e, _) => PublishDatabaseStateAsync(r, e.Services, e.ResourceEvent.Snapshot.State?.Text ?? KnownResourceStates.Exited));
    }

    /// <summary>
    /// A database on a server the AppHost runs, whose name is set when the app starts. It is healthy once it answers
    /// and <paramref name="ready"/> says it is prepared (created, or copied from another branch's), so nothing that
    /// waits for it starts on a half-made database.
    /// </summary>
    public static IResourceBuilder<AppDatabaseResource> AddBranchDatabaseResource<TServer>(
        this IResourceBuilder<TServer> server, AppDatabaseResource database, Func<HealthCheckResult> ready)
        where TServer : IResourceWithConnectionString
    {
        var readyKey = $"{database.Name}_ready";
        server.ApplicationBuilder.Services.AddHealthChecks().AddCheck(readyKey, ready);
        return server.ApplicationBuilder.AddResource(database)
            .WithIconName("Database")
            .WithHealthCheck(readyKey)
            .WithNpgsqlHealthCheck(database: null);
    }

    /// <summary>
    /// Aspire's PostgreSQL container, persistent with a data volume: the databases survive AppHost restarts, so F5 does
    /// not re-create them every time. In run mode the container runtime is asked when the app starts, before anything runs.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgresContainer(this IDistributedApplicationBuilder builder, string name, PostgresSettings settings)
    {
        var postgres = PostgresContainer.Resolve(builder.Configuration).Apply(builder.AddPostgres(name,
                password: builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 22 }, secret: true, persist: true)))
            .WithLifetime(ContainerLifetime.Persistent);
        if (builder.Configuration.GetValue<bool>(PostgresSettings.PgAdminKey))
        {
            postgres.WithPgAdmin();
        }

        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, ct) => ContainerRuntimeCheck.EnsureHealthyAsync(e.Services, settings.WhyNoContainer, ct));
            var runtime = ContainerRuntimeCheck.Runtime(builder.Configuration);
            builder.Services.TryAddSingleton<TerminalOutput>();
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<ContainerEngineWatch>(services, postgres.Resource, runtime));
        }

        return postgres;
    }

    /// <summary>
    /// A health check that opens a connection and runs a query. No pool: an idle pooled connection would hold up the
    /// server's shutdown, and would keep the schema loop from copying or replacing the database.
    /// </summary>
    private static IResourceBuilder<T> WithNpgsqlHealthCheck<T>(this IResourceBuilder<T> builder, string? database)
        where T : IResourceWithConnectionString
    {
        var resource = builder.Resource;
        string? connectionString = null;
        var key = $"{resource.Name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{resource.Name}' is not available yet."),
            name: key,
            configure: connection => connection.ConnectionString += (database is null ? "" : $";Database={database}") + ";Pooling=false");
        return builder
            .WithHealthCheck(key)
            .OnConnectionStringAvailable(async (_, _, ct) => connectionString = await resource.ConnectionStringExpression.GetValueAsync(ct));
    }

    private static async Task OpenClusterAsync(LocalCluster cluster, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (await cluster.OpenAsync(cancellationToken) is { } notice)
        {
            services.GetRequiredService<TerminalOutput>().WriteLine(notice);
        }

        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(cluster.Dispose);
    }

    private static IEnumerable<string> ServerCommand(PostgresCluster cluster)
    {
        var (fileName, arguments) = cluster.ForegroundServerCommand([]);
        return [fileName, .. arguments];
    }

    private static async Task PrepareClusterAsync(LocalPostgresServerResource server, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        await server.Cluster.Cluster.InitializeAsync(MaxConnections, logger, cancellationToken);
        await server.Cluster.Cluster.StopLeftoverServerAsync(logger, cancellationToken);
    }

    private static async Task PublishDatabaseStateAsync(LocalPostgresServerResource server, IServiceProvider services, string state)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        foreach (var database in services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<AppDatabaseResource>().Where(d => d.Parent == server))
        {
            await notifications.PublishUpdateAsync(database, s => s with { State = state });
        }
    }
}
