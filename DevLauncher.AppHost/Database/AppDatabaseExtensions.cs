using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Terminal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.AppHost.Database;

/// <param name="Owner">The database as its owner: the worker's connection.</param>
/// <param name="Service">The same database as the least-privilege role migration 0007 creates: the services' connection.</param>
/// <param name="ServicePassword">The service role's password, which the worker sets after every run.</param>
/// <param name="Loop">The schema loop (branch databases, Undo, templates); null on an existing server, which is not the AppHost's.</param>
/// <param name="ExistingName">On an existing server, the configured database's name.</param>
internal sealed record AppDatabase(
    IResourceBuilder<IResourceWithConnectionString> Owner,
    IResourceBuilder<IResourceWithConnectionString> Service,
    IResourceBuilder<ParameterResource> ServicePassword,
    AppDatabaseLoop? Loop,
    string? ExistingName = null);

internal static class AppDatabaseExtensions
{
    /// <summary>
    /// <c>postgres</c> and its database <c>appdb</c> in the mode the settings chose (on an existing server, <c>appdb</c>
    /// alone), and <c>appdb-service</c>: the same database as the service role. Every mode gives the same names and
    /// connection-string shapes to the worker and the services.
    /// </summary>
    public static AppDatabase AddAppDatabase(this IDistributedApplicationBuilder builder, PostgresSettings settings, DatabaseSettings databaseSettings, WorkerFiles files)
    {
        // Generated once and kept in the AppHost's user secrets.
        var servicePassword = builder.AddParameter("service-password",
            new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        if (settings.Mode == PostgresMode.Existing)
        {
            var (existing, serviceConnectionString) = builder.AddExistingDatabase(settings.ExistingConnectionString!, servicePassword.Resource);
            return new AppDatabase(existing, builder.AddConnectionString($"{ResourceNames.Database}-service", serviceConnectionString), servicePassword, null,
                new NpgsqlConnectionStringBuilder(settings.ExistingConnectionString).Database);
        }

        var server = settings.Mode == PostgresMode.Container ? builder.AddContainerServer(settings) : builder.AddLocalServer(settings);
        var (appdb, loop) = server.AddLoopDatabase(databaseSettings, files);
        var service = builder.AddConnectionString($"{ResourceNames.Database}-service", ReferenceExpression.Create(
            $"Host={server.Host};Port={server.Port};Username={ServiceRole.Name};Password={servicePassword.Resource};Database={appdb.Resource.DatabaseName}"));
        return new AppDatabase(appdb, service, servicePassword, loop);
    }

    /// <summary>A server the AppHost runs, as the loop database needs it: its resource, host and port.</summary>
    private sealed record RunServer(IResourceBuilder<IResourceWithConnectionString> Resource, EndpointReferenceExpression Host, EndpointReferenceExpression Port)
    {
        public (IResourceBuilder<AppDatabaseResource>, AppDatabaseLoop) AddLoopDatabase(DatabaseSettings settings, WorkerFiles files)
        {
            AppDatabaseLoop? loop = null;
            var appdb = Resource.AddAppDatabase(ResourceNames.Database, () => loop!.Ready());
            loop = new AppDatabaseLoop(appdb.Resource, settings, files);
            var builder = Resource.ApplicationBuilder;
            if (builder.ExecutionContext.IsRunMode)
            {
                builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
                {
                    loop.ChooseDatabase();
                    return Task.CompletedTask;
                });
                builder.Eventing.Subscribe<ResourceReadyEvent>(Resource.Resource, (e, ct) => PrepareAsync(loop, appdb.Resource, e.Services, ct));
            }

            return (appdb, loop);
        }
    }

    /// <summary>
    /// The branch's database, once the server is up. A failure (a migration folder that is gone, a copy PostgreSQL
    /// refuses) fails <c>appdb</c> with its reason, which the terminal shows; starting the server again retries.
    /// </summary>
    private static async Task PrepareAsync(AppDatabaseLoop loop, AppDatabaseResource database, IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            await loop.PrepareAsync(services, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            services.GetRequiredService<FailureReasons>().Record(database.Name, ex.Message);
            services.GetRequiredService<ResourceLoggerService>().GetLogger(database).LogError(ex, "The branch's database could not be made ready: {Reason}", ex.Message);
            await services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, s => s with { State = KnownResourceStates.FailedToStart });
            return;
        }

        await PublishStateAsync(database, services, KnownResourceStates.Running);
    }

    private static RunServer AddContainerServer(this IDistributedApplicationBuilder builder, PostgresSettings settings)
    {
        // Persistent, with a volume: the databases survive AppHost restarts, so F5 does not re-create them every time.
        var postgres = PostgresContainer.Resolve(builder.Configuration).Apply(builder.AddPostgres(ResourceNames.Postgres,
                password: builder.AddParameter("postgres-password", new GenerateParameterDefault { MinLength = 22 }, secret: true, persist: true)))
            .WithLifetime(ContainerLifetime.Persistent);
        if (builder.Configuration.GetValue<bool>("DevLauncher:PgAdmin"))
        {
            postgres.WithPgAdmin();
        }

        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, ct) => ContainerRuntimeCheck.EnsureHealthyAsync(e.Services, settings.WhyNoContainer, ct));
        }

        return new RunServer(postgres, postgres.Resource.Host, postgres.Resource.Port);
    }

    private static RunServer AddLocalServer(this IDistributedApplicationBuilder builder, PostgresSettings settings)
    {
        var postgres = builder.AddLocalPostgres(ResourceNames.Postgres, settings);
        // Aspire hands a container's state down to its databases but not an executable's: the local server does it here.
        postgres
            .OnBeforeResourceStarted((r, e, _) => PublishStateAsync(Database(r, e.Services), e.Services, KnownResourceStates.Starting))
            .OnResourceStopped((r, e, _) => PublishStateAsync(Database(r, e.Services), e.Services, e.ResourceEvent.Snapshot.State?.Text ?? KnownResourceStates.Exited));
        return new RunServer(postgres, postgres.Resource.Host, postgres.Resource.Port);
    }

    private static AppDatabaseResource Database(IResource server, IServiceProvider services) =>
        services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<AppDatabaseResource>().Single(d => d.Parent == server);

    private static Task PublishStateAsync(AppDatabaseResource database, IServiceProvider services, string state) =>
        database.Parent is LocalPostgresServerResource
            ? services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, s => s with { State = state })
            : Task.CompletedTask;

    /// <summary>
    /// A database someone else runs, from the configured owner's connection string: Aspire's connection-string resource,
    /// which Aspire itself marks running, with a health check. There is no <c>postgres</c>: the server is not the AppHost's.
    /// </summary>
    private static (IResourceBuilder<IResourceWithConnectionString>, ReferenceExpression) AddExistingDatabase(
        this IDistributedApplicationBuilder builder, string ownerConnectionString, ParameterResource servicePassword)
    {
        var owner = new NpgsqlConnectionStringBuilder(ownerConnectionString);
        var ownerParameter = builder.AddParameter($"{ResourceNames.Database}-owner", () => ownerConnectionString, secret: true);
        var healthCheckKey = $"{ResourceNames.Database}_check";
        builder.Services.AddHealthChecks().AddNpgSql(new NpgsqlConnectionStringBuilder(ownerConnectionString) { Pooling = false }.ConnectionString, name: healthCheckKey);
        var appdb = builder.AddConnectionString(ResourceNames.Database, ReferenceExpression.Create($"{ownerParameter.Resource}"))
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
        var server = new NpgsqlConnectionStringBuilder(ownerConnectionString) { Username = null, Password = null, Database = null };
        return (appdb, ReferenceExpression.Create(
            $"{server.ConnectionString};Username={ServiceRole.Name};Password={servicePassword};Database={owner.Database}"));
    }
}
