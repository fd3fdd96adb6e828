using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using Npgsql;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests.Container;

/// <summary>
/// Container mode as F5 runs it, on the local image and a persistent container of the test's own: a cold start, a stop,
/// then a second run on the kept container, where the schema loop's commands are used. Two starts serve every fact.
/// </summary>
[Collection(ContainerApps.Name)]
[Trait("Requires", "Docker")]
public sealed class ContainerModeTests(ContainerModeTests.Scenario scenario) : IClassFixture<ContainerModeTests.Scenario>
{
    [Fact]
    public void A_cold_start_applies_every_migration_in_its_one_run() =>
        Assert.Equal((KnownResourceStates.Finished, (int?)0, 7L), (scenario.ColdWorker.State?.Text, scenario.ColdWorker.ExitCode,
            Convert.ToInt64(Property(scenario.ColdWorker, DevLauncherProperties.AppliedByRun), System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void After_a_stop_the_persistent_container_is_left_running_and_no_process_of_the_app() =>
        Assert.Equal((true, 0), (scenario.ContainerAfterStop?.Running, scenario.ProcessesAfterStop));

    [Fact]
    public void The_next_run_reuses_the_same_container() =>
        Assert.Equal(scenario.ContainerAfterStop?.Id, scenario.ContainerOnRerun?.Id);

    [Fact]
    public void The_next_run_keeps_the_data_and_applies_nothing() =>
        Assert.Equal((true, 0L), (scenario.KeptRowOnRerun, Convert.ToInt64(Property(scenario.WarmWorker, DevLauncherProperties.AppliedByRun), System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task Each_migration_is_applied_once_on_the_container() =>
        await AppHostAssertions.EachMigrationAppliedOnceAsync(scenario.App, TestContext.Current.CancellationToken);

    [Fact]
    public void The_database_is_the_branchs_own() =>
        Assert.StartsWith($"{ResourceNames.Database}_", new NpgsqlConnectionStringBuilder(scenario.Owner).Database);

    [Fact]
    public void Reset_copies_the_template_and_brings_back_the_demo_seed() =>
        Assert.Equal((true, "demo@devlauncher.dev"), (scenario.Reset.Success, string.Join(", ", scenario.EmailsAfterReset)));

    [Fact]
    public void Apply_applies_a_new_migration_on_the_container() =>
        Assert.Equal((true, 8L), (scenario.Apply.Success, scenario.VersionAfterApply));

    [Fact]
    public void Undo_takes_the_new_migration_back() =>
        Assert.Equal((true, 7L), (scenario.Undo.Success, scenario.VersionAfterUndo));

    public sealed class Scenario : AppScenario
    {
        private const string AddUser = "INSERT INTO auth.users (email, password_hash) VALUES ('kept@example.com', 'not a hash')";
        private const string Emails = "SELECT coalesce(array_agg(email::text ORDER BY email), '{}') FROM auth.users";

        public CustomResourceSnapshot ColdWorker { get; private set; } = null!;

        public (string Id, bool Running)? ContainerAfterStop { get; private set; }

        public int ProcessesAfterStop { get; private set; }

        public (string Id, bool Running)? ContainerOnRerun { get; private set; }

        public CustomResourceSnapshot WarmWorker { get; private set; } = null!;

        public bool KeptRowOnRerun { get; private set; }

        public string Owner { get; private set; } = null!;

        public ExecuteCommandResult Reset { get; private set; } = null!;

        public string[] EmailsAfterReset { get; private set; } = [];

        public ExecuteCommandResult Undo { get; private set; } = null!;

        public long VersionAfterUndo { get; private set; }

        public ExecuteCommandResult Apply { get; private set; } = null!;

        public long VersionAfterApply { get; private set; }

        /// <summary>The worker's files, a copy the warm run adds a migration to.</summary>
        private ScratchMigrations _migrations = null!;

        protected override async Task RunAsync(CancellationToken cancellationToken)
        {
            await DockerEngine.RequireAsync(cancellationToken);
            var container = Own(new TestContainer(DockerEngine.NewContainerName()));
            _migrations = Own(ScratchMigrations.CopyOfScripts());
            await ColdStartThenStopAsync(container.Name, cancellationToken);
            await Own(await CreateAsync(container.Name, cancellationToken)).StartAsync(cancellationToken);
            ContainerOnRerun = await DockerEngine.InspectAsync(container.Name, cancellationToken);
            WarmWorker = await WaitForRunAsync(App, 1, cancellationToken);
            await AppResources.WaitForServicesHealthyAsync(App, cancellationToken);
            Owner = (await AppEndpoints.OfAsync(App, cancellationToken)).Database;
            KeptRowOnRerun = (await Sql.ScalarAsync<string[]>(Owner, Emails, cancellationToken)).Contains("kept@example.com");
            await UseTheLoopAsync(cancellationToken);
        }

        private async Task ColdStartThenStopAsync(string name, CancellationToken cancellationToken)
        {
            await using var cold = await CreateAsync(name, cancellationToken);
            await cold.StartAsync(cancellationToken);
            ColdWorker = await WaitForRunAsync(cold.App!, 1, cancellationToken);
            await AppResources.WaitForServicesHealthyAsync(cold.App!, cancellationToken);
            await Sql.ExecuteAsync((await AppEndpoints.OfAsync(cold.App!, cancellationToken)).Database, AddUser, cancellationToken);
            await cold.StopAsync();
            ProcessesAfterStop = (await cold.WaitForNoProcessAsync(TimeSpan.FromSeconds(30), cancellationToken)).Count;
            ContainerAfterStop = await DockerEngine.InspectAsync(name, cancellationToken);
        }

        private async Task UseTheLoopAsync(CancellationToken cancellationToken)
        {
            Reset = await ExecuteAsync(App, ResourceNames.Database, DevLauncherCommands.ResetDatabase, cancellationToken);
            EmailsAfterReset = await Sql.ScalarAsync<string[]>(Owner, Emails, cancellationToken);
            _migrations.Write("0008_container_notes.sql", "CREATE TABLE app.container_notes (id int PRIMARY KEY);\n");
            Apply = await ExecuteAsync(App, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);
            VersionAfterApply = await SchemaVersionAsync(cancellationToken);
            Undo = await ExecuteAsync(App, ResourceNames.Migrations, DevLauncherCommands.UndoMigration, cancellationToken);
            VersionAfterUndo = await SchemaVersionAsync(cancellationToken);
        }

        private Task<long> SchemaVersionAsync(CancellationToken cancellationToken) =>
            Sql.ScalarAsync<long>(Owner, "SELECT max(version) FROM devlauncher.schema_history", cancellationToken);

        /// <summary>The AppHost in container mode on the local image, its container and volume named for this test, kept between runs.</summary>
        private Task<TestAppHost> CreateAsync(string name, CancellationToken cancellationToken) =>
            TestAppHost.CreateAsync(PostgresMode.Container, cancellationToken, keepPersistence: true,
                extra: [$"--{PostgresContainer.ImageKey}={DockerEngine.Image}", $"--{PostgresContainer.NameKey}={name}", _migrations.Argument]);
    }
}
