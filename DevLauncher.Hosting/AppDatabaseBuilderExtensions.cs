using DevLauncher.Hosting;
using DevLauncher.Hosting.Database;
using DevLauncher.Hosting.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>
/// Adds a development database to an AppHost: PostgreSQL in the mode the settings choose (the machine's own programs, a
/// container, or an existing server), a database per git branch with its schema loop (Reset from a template, Undo from
/// a snapshot), and the services' least-privilege connection.
/// </summary>
public static class AppDatabaseBuilderExtensions
{
    /// <summary>The name of the server resource when the AppHost runs one.</summary>
    public const string DefaultServerName = "postgres";

    /// <summary>
    /// Adds an app database named <paramref name="name"/>, on a PostgreSQL server named <paramref name="serverName"/>
    /// that the AppHost runs (the local programs or a container; <c>DevLauncher:Postgres:Mode</c>), or on an existing
    /// server (<c>ConnectionStrings:{name}</c>). Its connection string is the owner's: give it to the migration worker
    /// (<see cref="MigrationWorkerBuilderExtensions.WithMigrationsFor"/>), and give the services
    /// <see cref="WithAppDatabase{T}"/>. In publish mode it is Aspire's PostgreSQL server and database, or a
    /// connection-string parameter when the mode is <c>existing</c> (docs/integration.md).
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="name">The database resource's name, which is also the services' connection-string name.</param>
    /// <param name="serverName">The server resource's name.</param>
    /// <returns>The database resource, as its owner's connection.</returns>
    /// <exception cref="DevLauncherStartException">A setting is invalid; its message names the key.</exception>
    public static IResourceBuilder<IResourceWithConnectionString> AddAppDatabase(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, [ResourceName] string serverName = DefaultServerName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddDevLauncherHost();
        var postgres = PostgresSettings.Resolve(builder.Configuration, builder.AppHostDirectory, builder.ExecutionContext.IsRunMode, name);
        var settings = DatabaseSettings.Resolve(builder.Configuration, builder.AppHostDirectory);
        // Generated once and kept in the AppHost's user secrets: the service role is one per server.
        var servicePassword = builder.AddParameter("service-password",
            new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        var database = new AppDatabaseAnnotation(postgres, settings) { ServicePassword = servicePassword.Resource };
        var owner = (postgres.Mode, builder.ExecutionContext.IsRunMode) switch
        {
            (PostgresMode.Existing, true) => builder.AddExistingDatabase(name, database),
            (PostgresMode.Existing, false) => builder.AddPublishedConnectionStrings(name, database),
            (_, false) => builder.AddPostgresContainer(serverName, postgres).AddPublishedDatabase(name, database),
            _ => builder.AddServer(serverName, postgres).AddBranchDatabase(name, database),
        };
        return owner.WithResetDatabaseCommand(database).WithBranchDatabaseCommands(database);
    }

    /// <summary>
    /// Gives a service the app database as the least-privilege service role, under the database's own connection-string
    /// name (<c>ConnectionStrings:{name}</c>). Reset database, the stop order and the terminal's lines count the service
    /// among the database's users from this reference.
    /// </summary>
    /// <typeparam name="T">The service's resource type.</typeparam>
    /// <param name="service">The service.</param>
    /// <param name="database">The app database, from <see cref="AddAppDatabase"/>.</param>
    /// <returns>The service's builder.</returns>
    public static IResourceBuilder<T> WithAppDatabase<T>(this IResourceBuilder<T> service, IResourceBuilder<IResourceWithConnectionString> database)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(database);
        var dev = AppDatabaseAnnotationOf(database.Resource);
        return service.WithReference(service.ApplicationBuilder.CreateResourceBuilder(dev.Service), database.Resource.Name);
    }

    internal static AppDatabaseAnnotation AppDatabaseAnnotationOf(IResource database) =>
        database.Annotations.OfType<AppDatabaseAnnotation>().SingleOrDefault()
        ?? throw new ArgumentException($"{database.Name} is not an app database: add it with AddAppDatabase.", nameof(database));

    /// <summary>The dev server (a server the AppHost runs) as a resource, with its host and port, as the branch database needs them.</summary>
    private sealed record DevServerResource(IResourceBuilder<IResourceWithConnectionString> Resource, EndpointReferenceExpression Host, EndpointReferenceExpression Port);

    private static DevServerResource AddServer(this IDistributedApplicationBuilder builder, string serverName, PostgresSettings settings)
    {
        if (settings.Mode == PostgresMode.Container)
        {
            var container = builder.AddPostgresContainer(serverName, settings);
            return new DevServerResource(container, container.Resource.Host, container.Resource.Port);
        }

        var local = builder.AddLocalPostgres(serverName, settings);
        return new DevServerResource(local, local.Resource.Host, local.Resource.Port);
    }

    /// <summary>The branch's database, whose name is chosen at start, with its schema loop.</summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddBranchDatabase(this DevServerResource server, string name, AppDatabaseAnnotation database)
    {
        var builder = server.Resource.ApplicationBuilder;
        var resource = new AppDatabaseResource(name, server.Resource.Resource);
        database.Owner = resource;
        database.Service = builder.AddConnectionString($"{name}-service", ReferenceExpression.Create(
            $"Host={server.Host};Port={server.Port};Username={ServiceRole.Name};Password={database.ServicePassword};Database={resource.DatabaseName}")).Resource;
        return server.Resource.AddBranchDatabaseResource(resource, () => database.Loop?.Ready() ?? HealthCheckResult.Unhealthy("the app has not started"))
            .WithAnnotation(database);
    }

    /// <summary>In publish mode: Aspire's own PostgreSQL database, and the services' connection to it as the service role.</summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddPublishedDatabase(this IResourceBuilder<PostgresServerResource> server, string name, AppDatabaseAnnotation database)
    {
        var owner = server.AddDatabase(name);
        database.Owner = owner.Resource;
        database.Service = server.ApplicationBuilder.AddConnectionString($"{name}-service", ReferenceExpression.Create(
            $"Host={server.Resource.Host};Port={server.Resource.Port};Username={ServiceRole.Name};Password={database.ServicePassword};Database={owner.Resource.DatabaseName}")).Resource;
        return owner.WithAnnotation(database);
    }

    /// <summary>In publish mode on an existing server: both connection strings are parameters the deployment fills in.</summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddPublishedConnectionStrings(this IDistributedApplicationBuilder builder, string name, AppDatabaseAnnotation database)
    {
        var owner = builder.AddConnectionString(name);
        database.Owner = owner.Resource;
        database.Service = builder.AddConnectionString($"{name}-service").Resource;
        return owner.WithAnnotation(database);
    }

    /// <summary>
    /// A database someone else runs, from the configured owner's connection string: Aspire's connection-string resource,
    /// which Aspire itself marks running, with a health check. There is no server resource: the server is not the AppHost's.
    /// </summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddExistingDatabase(this IDistributedApplicationBuilder builder, string name, AppDatabaseAnnotation database)
    {
        var ownerConnectionString = database.Postgres.ExistingConnectionString!;
        var owner = new NpgsqlConnectionStringBuilder(ownerConnectionString);
        var ownerParameter = builder.AddParameter($"{name}-owner", () => ownerConnectionString, secret: true);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(new NpgsqlConnectionStringBuilder(ownerConnectionString) { Pooling = false }.ConnectionString, name: healthCheckKey);
        var appdb = builder.AddConnectionString(name, ReferenceExpression.Create($"{ownerParameter.Resource}"))
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
        var server = new NpgsqlConnectionStringBuilder(ownerConnectionString) { Username = null, Password = null, Database = null };
        database.Owner = appdb.Resource;
        database.ExistingName = owner.Database;
        database.Service = builder.AddConnectionString($"{name}-service", ReferenceExpression.Create(
            $"{server.ConnectionString};Username={ServiceRole.Name};Password={database.ServicePassword};Database={owner.Database}")).Resource;
        return appdb.WithAnnotation(database);
    }
}
