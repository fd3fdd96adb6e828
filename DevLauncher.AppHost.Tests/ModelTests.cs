using Aspire.Hosting.Postgres;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using DevLauncher.LocalPostgres;
using Npgsql;
using static DevLauncher.AppHost.Tests.Infrastructure.ExecutionConfiguration;

namespace DevLauncher.AppHost.Tests;

/// <summary>The AppHost's model in each PostgreSQL mode, as Aspire builds it; nothing is started.</summary>
public sealed class ModelTests(ModeModels models) : IClassFixture<ModeModels>
{
    // PostgresMode is internal to the AppHost: the theories that take one are internal (xunit runs non-public test
    // methods), and their data is typed rows behind a public, untyped member (xunit reads only public data members).
    public static IEnumerable<ITheoryDataRow> Modes => new TheoryData<PostgresMode>(PostgresMode.Container, PostgresMode.Local, PostgresMode.Existing);

    [Fact]
    public void Container_mode_runs_postgres_as_a_persistent_container()
    {
        var postgres = Assert.IsType<PostgresServerResource>(models[PostgresMode.Container].Resource(ResourceNames.Postgres));

        Assert.Contains(postgres.Annotations.OfType<ContainerLifetimeAnnotation>(), a => a.Lifetime == ContainerLifetime.Persistent);
        Assert.Equal(("postgres-password", true), (postgres.PasswordParameter.Name, postgres.PasswordParameter.Secret));
    }

    [Fact]
    public void Container_mode_keeps_the_data_in_a_volume() =>
        Assert.Contains(models[PostgresMode.Container].Resource(ResourceNames.Postgres).Annotations.OfType<ContainerMountAnnotation>(),
            m => m.Type == ContainerMountType.Volume && !m.IsReadOnly);

    [Fact]
    public void Container_mode_has_no_pgAdmin_unless_configuration_asks_for_it() =>
        Assert.DoesNotContain(models[PostgresMode.Container].Builder.Resources, r => r is PgAdminContainerResource);

    [Fact]
    public async Task Container_mode_adds_pgAdmin_when_configuration_asks_for_it()
    {
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Container, TestContext.Current.CancellationToken, extra: ["--DevLauncher:PgAdmin=true"]);

        Assert.Single(host.Builder.Resources.OfType<PgAdminContainerResource>());
    }

    [Theory]
    [InlineData(PostgresMode.Container)]
    [InlineData(PostgresMode.Local)]
    internal void On_a_server_the_AppHost_runs_appdb_is_a_database_of_postgres_named_at_start(PostgresMode mode)
    {
        var appdb = Assert.IsType<AppDatabaseResource>(models[mode].Resource(ResourceNames.Database));

        Assert.Same(models[mode].Resource(ResourceNames.Postgres), appdb.Parent);
        Assert.Null(appdb.DatabaseName.Value);
        Assert.Equal("{postgres.connectionString};Database=appdb", appdb.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task Local_mode_runs_the_machines_postgres_as_an_executable_on_the_port_the_orchestrator_picks()
    {
        var postgres = Assert.IsType<LocalPostgresServerResource>(models[PostgresMode.Local].Resource(ResourceNames.Postgres));

        Assert.Equal("{postgres.bindings.tcp.targetPort}", (await EnvironmentOfAsync(postgres))["PGPORT"]);
        Assert.Contains(postgres.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
    }

    [Fact]
    public void Local_modes_connection_string_has_the_containers_shape() =>
        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
            Assert.IsType<LocalPostgresServerResource>(models[PostgresMode.Local].Resource(ResourceNames.Postgres)).ConnectionStringExpression.ValueExpression);

    [Fact]
    public async Task Local_modes_server_runs_postgres_on_the_cluster_chosen_at_start()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken);
        var postgres = Assert.IsType<LocalPostgresServerResource>(host.Resource(ResourceNames.Postgres));
        Assert.Throws<InvalidOperationException>(() => postgres.Cluster.Cluster);

        await host.BuildUntilBeforeStartAsync(cancellationToken);

        var arguments = await ArgumentsOfAsync(postgres);
        Assert.Equal([Path.Combine(PostgresBinaries.Find(), "postgres"), "-D", Path.Combine(host.DataDirectory, "data")], arguments[^3..]);
    }

    [Fact]
    public void Existing_mode_has_no_postgres_of_its_own()
    {
        Assert.DoesNotContain(models[PostgresMode.Existing].Builder.Resources, r => r is ContainerResource or LocalPostgresServerResource);
        Assert.DoesNotContain(models[PostgresMode.Existing].Builder.Resources, r => r.Name == ResourceNames.Postgres);
    }

    [Fact]
    public async Task Existing_modes_appdb_is_the_configured_owners_connection_string()
    {
        var appdb = Assert.IsType<ConnectionStringResource>(models[PostgresMode.Existing].Resource(ResourceNames.Database));

        var owner = new NpgsqlConnectionStringBuilder(await ((IResourceWithConnectionString)appdb).GetConnectionStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(("db.internal", 5433, "devlauncher", "owner", "owner-secret"), (owner.Host, owner.Port, owner.Database, owner.Username, owner.Password));
    }

    [Fact]
    public async Task Existing_modes_services_reach_the_same_database_as_the_service_role()
    {
        var serviceDatabase = Assert.IsType<ConnectionStringResource>(models[PostgresMode.Existing].Resource($"{ResourceNames.Database}-service"));

        var connectionString = await ((IResourceWithConnectionString)serviceDatabase).GetConnectionStringAsync(TestContext.Current.CancellationToken);

        var service = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal(("db.internal", 5433, "devlauncher", ServiceRole.Name, TestAppHost.ServicePassword), (service.Host, service.Port, service.Database, service.Username, service.Password));
        Assert.DoesNotContain("owner", connectionString, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    internal void The_worker_waits_for_appdb_to_be_healthy(PostgresMode mode) =>
        Assert.Contains(models[mode].Resource(ResourceNames.Migrations).Annotations.OfType<WaitAnnotation>(),
            w => w.Resource.Name == ResourceNames.Database && w.WaitType == WaitType.WaitUntilHealthy);

    [Theory]
    [MemberData(nameof(Modes))]
    internal async Task The_worker_connects_as_appdbs_owner(PostgresMode mode)
    {
        var worker = await EnvironmentOfAsync(models[mode].Resource(ResourceNames.Migrations));

        Assert.Equal("{appdb.connectionString}", worker["ConnectionStrings__appdb"]);
        Assert.Equal("{service-password.value}", worker["Database__ServicePassword"]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    internal void The_services_wait_for_the_worker_to_finish_with_0(PostgresMode mode) =>
        Assert.All(AppResources.Services, name => Assert.Contains(models[mode].Resource(name).Annotations.OfType<WaitAnnotation>(),
            w => w.Resource.Name == ResourceNames.Migrations && w.WaitType == WaitType.WaitForCompletion && w.ExitCode == 0));

    [Theory]
    [MemberData(nameof(Modes))]
    internal async Task The_services_connect_as_the_service_role_never_as_the_owner(PostgresMode mode)
    {
        foreach (var name in AppResources.Services)
        {
            var environment = await EnvironmentOfAsync(models[mode].Resource(name));

            Assert.Equal("{appdb-service.connectionString}", environment["ConnectionStrings__appdb"]);
            Assert.DoesNotContain(environment, e => e.Value.Contains("postgres-password", StringComparison.Ordinal) || e.Value.Contains("{appdb.", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    internal void The_frontend_alone_is_reachable_from_outside(PostgresMode mode) =>
        Assert.Equal([ResourceNames.Frontend], AppResources.Services.Where(s => models[mode].Resource(s).Annotations.OfType<EndpointAnnotation>().Any(e => e.IsExternal)));
}
