using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The topology the integration reads from the model (wait and reference annotations), in each mode: nothing in the
/// library names this app's resources, so Reset, the stop order and the terminal's lines must find them here.
/// </summary>
public sealed class TopologyTests(ModeModels models) : IClassFixture<ModeModels>
{
    private static readonly string[] Services = [ResourceNames.Auth, ResourceNames.Backend, ResourceNames.Frontend];

    public static IEnumerable<ITheoryDataRow> Modes => new TheoryData<PostgresMode>(PostgresMode.Container, PostgresMode.Local, PostgresMode.Existing);

    [Theory]
    [MemberData(nameof(Modes))]
    internal void The_services_of_the_database_are_those_that_reference_its_services_connection(PostgresMode mode)
    {
        var model = Model(models[mode]);
        var database = model.AppDatabases().Single().Database;

        Assert.Equal(Services, model.ServicesOf(database).Select(r => r.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    internal void What_waits_for_the_worker_is_every_service(PostgresMode mode)
    {
        var model = Model(models[mode]);

        Assert.Equal(Services, model.WaitingFor(models[mode].Resource(ResourceNames.Migrations)).Select(r => r.Name).Order());
    }

    [Theory]
    [InlineData(PostgresMode.Container)]
    [InlineData(PostgresMode.Local)]
    internal void What_waits_for_the_server_is_the_worker_and_through_it_every_service(PostgresMode mode)
    {
        var model = Model(models[mode]);

        Assert.Equal([ResourceNames.Auth, ResourceNames.Backend, ResourceNames.Frontend, ResourceNames.Migrations],
            model.WaitingFor(models[mode].Resource(ResourceNames.Database)).Select(r => r.Name).Order());
    }

    [Fact]
    public void The_worker_is_the_database_s_worker() =>
        Assert.Same(models[PostgresMode.Local].Resource(ResourceNames.Migrations),
            Model(models[PostgresMode.Local]).AppDatabases().Single().Database.Worker);

    [Fact]
    public async Task A_fourth_service_that_uses_the_database_is_one_of_its_services_with_no_other_edit()
    {
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Local, TestContext.Current.CancellationToken);
        var appdb = host.Builder.CreateResourceBuilder((IResourceWithConnectionString)host.Resource(ResourceNames.Database));
        var worker = host.Builder.CreateResourceBuilder((ProjectResource)host.Resource(ResourceNames.Migrations));
        host.Builder.AddProject("reports", "../services/Backend/DevLauncher.Backend.csproj").WithAppDatabase(appdb).WaitForCompletion(worker);

        var model = new DistributedApplicationModel(host.Builder.Resources);

        Assert.Contains("reports", model.ServicesOf(model.AppDatabases().Single().Database).Select(r => r.Name));
        Assert.Contains("reports", model.WaitingFor(worker.Resource).Select(r => r.Name));
    }

    private static DistributedApplicationModel Model(TestAppHost host) => new(host.Builder.Resources);
}
