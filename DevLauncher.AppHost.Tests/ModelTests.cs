using Aspire.Hosting;
using Aspire.Hosting.Postgres;
using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Start;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DevLauncher.AppHost.Tests;

/// <summary>The AppHost's model in each PostgreSQL mode, as Aspire builds it; nothing is started.</summary>
public sealed class ModelTests
{
    private static readonly string[] Services = [ResourceNames.Auth, ResourceNames.Backend, ResourceNames.Frontend];

    [Fact]
    public async Task Container_mode_has_a_persistent_postgres_container_with_a_volume_and_appdb_on_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Container, cancellationToken, keepPersistence: true);

        var postgres = Assert.IsType<PostgresServerResource>(host.Resource(ResourceNames.Postgres));
        Assert.Equal(("postgres-password", true), (postgres.PasswordParameter.Name, postgres.PasswordParameter.Secret));
        Assert.Contains(postgres.Annotations.OfType<ContainerLifetimeAnnotation>(), a => a.Lifetime == ContainerLifetime.Persistent);
        Assert.Contains(postgres.Annotations.OfType<ContainerMountAnnotation>(), m => m.Type == ContainerMountType.Volume && !m.IsReadOnly);
        Assert.DoesNotContain(host.Builder.Resources, r => r is PgAdminContainerResource);
        Assert.Equal(ResourceNames.Database, Assert.IsType<PostgresDatabaseResource>(host.Resource(ResourceNames.Database)).DatabaseName);
        await AssertTopologyAsync(host, cancellationToken);
    }

    [Fact]
    public async Task Container_mode_adds_pgAdmin_only_when_configuration_asks_for_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Container, cancellationToken, extra: ["--DevLauncher:PgAdmin=true"]);

        Assert.Single(host.Builder.Resources.OfType<PgAdminContainerResource>());
    }

    [Fact]
    public async Task Local_mode_runs_the_machines_postgres_as_an_executable_on_the_data_folder_with_the_containers_connection_string_shape()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken);

        var postgres = Assert.IsType<LocalPostgresServerResource>(host.Resource(ResourceNames.Postgres));
        Assert.Equal("{postgres.bindings.tcp.targetPort}", (await EnvironmentOfAsync(postgres, cancellationToken))["PGPORT"]);
        Assert.Contains(postgres.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
        Assert.Equal(
            "Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
            postgres.ConnectionStringExpression.ValueExpression);

        var appdb = Assert.IsType<AppDatabaseResource>(host.Resource(ResourceNames.Database));
        Assert.Same(postgres, appdb.Parent);
        Assert.Equal("{postgres.connectionString};Database=appdb", appdb.ConnectionStringExpression.ValueExpression);
        await AssertTopologyAsync(host, cancellationToken);
    }

    [Fact]
    public async Task Existing_mode_shows_that_server_and_its_database_and_the_services_use_it_as_the_service_role()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        const string Owner = "Host=db.internal;Port=5433;Database=devlauncher;Username=owner;Password=owner-secret";
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Auto, cancellationToken, extra: [$"--ConnectionStrings:appdb={Owner}"]);

        Assert.DoesNotContain(host.Builder.Resources, r => r is ContainerResource or LocalPostgresServerResource);
        Assert.DoesNotContain(host.Builder.Resources, r => r.Name == ResourceNames.Postgres);
        var appdb = Assert.IsType<ConnectionStringResource>(host.Resource(ResourceNames.Database));
        var owner = new NpgsqlConnectionStringBuilder(await ((IResourceWithConnectionString)appdb).GetConnectionStringAsync(cancellationToken));
        Assert.Equal(("db.internal", 5433, "devlauncher", "owner", "owner-secret"), (owner.Host, owner.Port, owner.Database, owner.Username, owner.Password));

        var serviceDatabase = Assert.IsType<ConnectionStringResource>(host.Resource("appdb-service"));
        var serviceConnectionString = await ((IResourceWithConnectionString)serviceDatabase).GetConnectionStringAsync(cancellationToken);
        var service = new NpgsqlConnectionStringBuilder(serviceConnectionString);
        Assert.Equal(("db.internal", 5433, "devlauncher", ServiceRole.Name, TestAppHost.ServicePassword),
            (service.Host, service.Port, service.Database, service.Username, service.Password));
        Assert.DoesNotContain("owner", serviceConnectionString, StringComparison.Ordinal);
        await AssertTopologyAsync(host, cancellationToken);
    }

    [Fact]
    public async Task An_unknown_mode_or_existing_mode_without_a_connection_string_is_one_line_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PostgresSettings.ModeKey] = "kubernetes",
        }).Build();
        var unknown = Assert.Throws<AppHostStartException>(() => PostgresSettings.Resolve(configuration, "/tmp", isRunMode: true));
        Assert.Contains(PostgresSettings.ModeKey, unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'kubernetes'", unknown.Message, StringComparison.Ordinal);

        configuration[PostgresSettings.ModeKey] = "existing";
        var existing = Assert.Throws<AppHostStartException>(() => PostgresSettings.Resolve(configuration, "/tmp", isRunMode: true));
        Assert.Contains("ConnectionStrings:appdb", existing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', unknown.Message + existing.Message);
    }

    [Fact]
    public void Auto_mode_prefers_an_existing_server_then_a_healthy_container_runtime_then_the_machines_programs()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        Assert.Equal(PostgresMode.Local, PostgresSettings.Resolve(configuration, "/tmp", isRunMode: true).Mode);
        Assert.Equal(PostgresMode.Container, PostgresSettings.Resolve(configuration, "/tmp", isRunMode: true).Mode);
        configuration["ConnectionStrings:appdb"] = "Host=db;Database=x;Username=u;Password=p";
        Assert.Equal(PostgresMode.Existing, PostgresSettings.Resolve(configuration, "/tmp", isRunMode: true).Mode);
    }

    /// <summary>What every mode shares: the worker waits for appdb and gets the owner's connection; the services wait for the worker and get the service role's.</summary>
    private static async Task AssertTopologyAsync(TestAppHost host, CancellationToken cancellationToken)
    {
        var migrations = Assert.IsType<ProjectResource>(host.Resource(ResourceNames.Migrations));
        Assert.Contains(migrations.Annotations.OfType<WaitAnnotation>(),
            w => w.Resource.Name == ResourceNames.Database && w.WaitType == WaitType.WaitUntilHealthy);
        var worker = await EnvironmentOfAsync(migrations, cancellationToken);
        Assert.Equal("{appdb.connectionString}", worker["ConnectionStrings__appdb"]);
        Assert.Equal("{service-password.value}", worker["Database__ServicePassword"]);

        foreach (var name in Services)
        {
            var service = Assert.IsType<ProjectResource>(host.Resource(name));
            Assert.Contains(service.Annotations.OfType<WaitAnnotation>(),
                w => w.Resource == migrations && w.WaitType == WaitType.WaitForCompletion && w.ExitCode == 0);
            Assert.Contains(service.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
            var environment = await EnvironmentOfAsync(service, cancellationToken);
            Assert.Equal("{appdb-service.connectionString}", environment["ConnectionStrings__appdb"]);
            Assert.DoesNotContain(environment, e => e.Value.Contains("postgres-password", StringComparison.Ordinal) || e.Value.Contains("{appdb.", StringComparison.Ordinal));
        }

        Assert.Contains(host.Resource(ResourceNames.Frontend).Annotations.OfType<EndpointAnnotation>(), e => e.IsExternal);
    }

    /// <summary>A resource's environment as the manifest writes it: references stay references, secrets stay hidden.</summary>
    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(IResource resource, CancellationToken cancellationToken)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, cancellationToken);
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    private static async Task<string[]> ArgumentsOfAsync(IResource resource, CancellationToken cancellationToken)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), NullLogger.Instance, cancellationToken);
        return [.. configuration.Arguments.Select(a => a.Value)];
    }

}
