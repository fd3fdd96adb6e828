using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Migrations;
using DevLauncher.Hosting.Postgres;
using DevLauncher.LocalPostgres;
using Microsoft.Extensions.Configuration;
using static DevLauncher.AppHost.Tests.Infrastructure.ExecutionConfiguration;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The AppHost's settings: where the worker's migrations come from (<c>DevLauncher:MigrationsDirectory</c>), which
/// PostgreSQL it uses, and <c>DevLauncher:Postgres:DeleteData</c>, applied when the app starts. A setting it cannot
/// honour is one line and exit code 2.
/// </summary>
public sealed class ConfigurationTests(ModeModels models) : IClassFixture<ModeModels>
{
    // Internal, as PostgresMode is internal to the AppHost: xunit runs non-public test methods.
    [Theory]
    [InlineData(PostgresMode.Local)]
    [InlineData(PostgresMode.Existing)]
    internal async Task The_worker_reads_its_projects_Scripts_folder_by_default(PostgresMode mode)
    {
        var scripts = Path.Combine(Path.GetDirectoryName(new Projects.DevLauncher_Migrations().ProjectPath)!, "Scripts");

        Assert.Equal(scripts, (await EnvironmentOfAsync(models[mode].Resource(ResourceNames.Migrations)))["Migrations__Directory"]);
    }

    [Fact]
    public async Task DevLauncher_MigrationsDirectory_is_made_absolute_against_the_AppHosts_folder()
    {
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Existing, TestContext.Current.CancellationToken,
            extra: [$"--ConnectionStrings:appdb={ModeModels.ExistingConnectionString}", $"--{WorkerFiles.MigrationsDirectoryKey}=../my-migrations"]);

        var expected = Path.GetFullPath(Path.Combine(host.Builder.AppHostDirectory, "..", "my-migrations"));
        Assert.Equal(expected, (await EnvironmentOfAsync(host.Resource(ResourceNames.Migrations)))["Migrations__Directory"]);
    }

    [Fact]
    public async Task DeleteData_deletes_the_local_cluster_when_the_app_starts()
    {
        await using var host = await LocalHostOnAClusterAsync(deleteData: true);

        await host.BuildUntilBeforeStartAsync(TestContext.Current.CancellationToken);

        Assert.False(new PostgresCluster(host.DataDirectory).Exists, "the cluster is still there at start with DeleteData=true");
    }

    [Fact]
    public async Task DeleteData_deletes_nothing_while_the_model_is_built()
    {
        await using var host = await LocalHostOnAClusterAsync(deleteData: true);

        Assert.True(new PostgresCluster(host.DataDirectory).Exists, "the cluster went while the model was built");
    }

    [Fact]
    public async Task Without_DeleteData_the_local_cluster_is_kept_at_start()
    {
        await using var host = await LocalHostOnAClusterAsync(deleteData: false);

        await host.BuildUntilBeforeStartAsync(TestContext.Current.CancellationToken);

        Assert.True(new PostgresCluster(host.DataDirectory).Exists, "the cluster went at start without DeleteData");
    }

    /// <summary>The local mode's model on a data folder that already holds a cluster (as far as PostgresCluster.Exists looks).</summary>
    private static async Task<TestAppHost> LocalHostOnAClusterAsync(bool deleteData)
    {
        var dataDirectory = TestAppHost.NewDataDirectory();
        var version = Path.Combine(new PostgresCluster(dataDirectory).DataDirectory, "PG_VERSION");
        Directory.CreateDirectory(Path.GetDirectoryName(version)!);
        await File.WriteAllTextAsync(version, "15", TestContext.Current.CancellationToken);
        return await TestAppHost.CreateAsync(PostgresMode.Local, TestContext.Current.CancellationToken,
            extra: [$"--{PostgresSettings.DeleteDataKey}={deleteData}"], dataDirectory: dataDirectory);
    }

    public static TheoryData<string[], string[]> RefusedSettings => new()
    {
        { [$"--{PostgresSettings.ModeKey}=container", $"--{PostgresSettings.DeleteDataKey}=true"], [PostgresSettings.DeleteDataKey, "docker volume rm"] },
        { [$"--ConnectionStrings:appdb={ModeModels.ExistingConnectionString}", $"--{PostgresSettings.DeleteDataKey}=true"], [PostgresSettings.DeleteDataKey, "does not apply"] },
        { ["--DevLauncher:Postgres:Reset=true"], [$"DevLauncher:Postgres:Reset is now {PostgresSettings.DeleteDataKey}", "Reset database on appdb"] },
    };

    [Theory]
    [MemberData(nameof(RefusedSettings))]
    public async Task A_setting_the_AppHost_cannot_honour_ends_the_start_with_one_line_that_says_what_to_do(string[] arguments, string[] said)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // Run as the README's run command does: the line is what a developer sees, and nothing starts.
        await using var apphost = AppHostProcess.Start(new Dictionary<string, string>(), ["--ConnectionStrings:appdb=", .. arguments]);

        Assert.True(await apphost.WaitForExitAsync(TestAppHost.StartTimeout, cancellationToken), apphost.Output);
        Assert.Equal(2, apphost.ExitCode);
        var line = Assert.Single(apphost.OutputLines);
        Assert.All(said, words => Assert.Contains(words, line, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_mode_is_one_line_naming_the_key()
    {
        var error = Assert.Throws<DevLauncherStartException>(() => Resolve(new() { [PostgresSettings.ModeKey] = "kubernetes" }));

        Assert.Equal($"{PostgresSettings.ModeKey} is 'kubernetes'; use one of: auto, container, local, existing.", error.Message);
    }

    [Fact]
    public void Existing_mode_without_a_connection_string_is_one_line_naming_the_missing_key()
    {
        var error = Assert.Throws<DevLauncherStartException>(() => Resolve(new() { [PostgresSettings.ModeKey] = "existing" }));

        Assert.StartsWith($"{PostgresSettings.ModeKey} is 'existing' but ConnectionStrings:appdb is not set", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_true_or_false_setting_with_another_value_is_one_line_naming_the_key() =>
        Assert.Equal($"{PostgresSettings.DeleteDataKey} is 'yes': write true or false.",
            Assert.Throws<DevLauncherStartException>(() => Resolve(new() { [PostgresSettings.DeleteDataKey] = "yes" })).Message);

    [Fact]
    public void Auto_mode_picks_an_existing_server_when_a_connection_string_is_set() =>
        Assert.Equal(PostgresMode.Existing, Resolve(new() { ["ConnectionStrings:appdb"] = "Host=db;Database=x;Username=u;Password=p" }).Mode);

    [Fact]
    public void Auto_mode_picks_the_local_server_when_PostgreSQLs_programs_are_installed() =>
        Assert.Equal(PostgresMode.Local, Resolve(new() { [PostgresSettings.BinDirectoryKey] = PostgresBinaries.Find() }).Mode);

    [Fact]
    public void Auto_mode_picks_a_container_without_PostgreSQLs_programs() =>
        Assert.Equal(PostgresMode.Container, Resolve(new() { [PostgresSettings.BinDirectoryKey] = "/nonexistent/postgresql/bin" }).Mode);

    private static PostgresSettings Resolve(Dictionary<string, string?> settings) =>
        PostgresSettings.Resolve(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), "/tmp", isRunMode: true, ResourceNames.Database);
}
