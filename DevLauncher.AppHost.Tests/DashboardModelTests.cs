using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Migrations;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The dashboard's commands as the model declares them in each mode, and what a run, a plan and Undo look like on it
/// (DashboardModelTests.*.cs). Nothing is started.
/// </summary>
public sealed partial class DashboardModelTests(ModeModels models) : IClassFixture<ModeModels>
{
    // PostgresMode is internal to the AppHost: the theories that take one are internal (xunit runs non-public test
    // methods), and their data is typed rows behind a public, untyped member (xunit reads only public data members).
    public static IEnumerable<ITheoryDataRow> Modes => new TheoryData<PostgresMode>(PostgresMode.Container, PostgresMode.Local, PostgresMode.Existing);

    public static IEnumerable<ITheoryDataRow> ServersTheAppHostRuns => new TheoryData<PostgresMode>(PostgresMode.Container, PostgresMode.Local);

    [Theory]
    [MemberData(nameof(Modes))]
    internal void The_worker_offers_the_three_migration_commands_in_every_mode(PostgresMode mode) =>
        Assert.Subset(Commands(models[mode], ResourceNames.Migrations).Keys.ToHashSet(), new HashSet<string> { DevLauncherCommands.ApplyMigrations, DevLauncherCommands.CheckMigrations, DevLauncherCommands.UndoMigration });

    [Fact]
    public void Apply_migrations_is_the_highlighted_button_that_asks_nothing()
    {
        var apply = Commands(models[PostgresMode.Local], ResourceNames.Migrations)[DevLauncherCommands.ApplyMigrations];

        Assert.True(apply is { ConfirmationMessage: null, IsHighlighted: true, Visibility: ResourceCommandVisibility.UI | ResourceCommandVisibility.Api });
        Assert.Equal(MigrationCommands.ApplyDescription, apply.DisplayDescription);
    }

    [Fact]
    public void Apply_migrations_is_disabled_while_the_worker_runs()
    {
        var apply = Commands(models[PostgresMode.Local], ResourceNames.Migrations)[DevLauncherCommands.ApplyMigrations];

        Assert.Equal(ResourceCommandState.Disabled, apply.UpdateState(Context(models[PostgresMode.Local], KnownResourceStates.Running)));
        Assert.Equal(ResourceCommandState.Enabled, apply.UpdateState(Context(models[PostgresMode.Local], KnownResourceStates.Finished)));
    }

    [Fact]
    public void Check_migrations_is_a_menu_item_that_asks_nothing()
    {
        var check = Commands(models[PostgresMode.Local], ResourceNames.Migrations)[DevLauncherCommands.CheckMigrations];

        Assert.True(check is { ConfirmationMessage: null, IsHighlighted: false, Visibility: ResourceCommandVisibility.UI | ResourceCommandVisibility.Api });
    }

    [Theory]
    [MemberData(nameof(Modes))]
    internal void Undo_last_migration_asks_for_a_confirmation(PostgresMode mode) =>
        Assert.Equal("Undo the last run's migrations?", Commands(models[mode], ResourceNames.Migrations)[DevLauncherCommands.UndoMigration].ConfirmationMessage);

    [Theory]
    [MemberData(nameof(Modes))]
    internal void Undo_last_migration_is_disabled_before_a_run_applied_anything(PostgresMode mode)
    {
        var undo = Commands(models[mode], ResourceNames.Migrations)[DevLauncherCommands.UndoMigration];

        Assert.False(ModeModels.Runs(models[mode]).CanUndo);
        Assert.Equal(ResourceCommandState.Disabled, undo.UpdateState(Context(models[mode], KnownResourceStates.Finished)));
    }

    [Fact]
    public void On_an_existing_server_Undo_last_migration_says_why_it_cannot_run() =>
        Assert.Equal(UndoCommand.ExistingServer, Commands(models[PostgresMode.Existing], ResourceNames.Migrations)[DevLauncherCommands.UndoMigration].DisplayDescription);

    [Theory]
    [MemberData(nameof(ServersTheAppHostRuns))]
    internal void On_a_server_the_AppHost_runs_Undo_last_migration_says_what_it_would_take_back(PostgresMode mode) =>
        Assert.StartsWith("Takes back the last run that applied migrations.",
            Commands(models[mode], ResourceNames.Migrations)[DevLauncherCommands.UndoMigration].DisplayDescription, StringComparison.Ordinal);

    private static Dictionary<string, ResourceCommandAnnotation> Commands(TestAppHost host, string resource) =>
        host.Resource(resource).Annotations.OfType<ResourceCommandAnnotation>().ToDictionary(c => c.Name);

    private static UpdateCommandStateContext Context(TestAppHost host, string state) => new()
    {
        ResourceSnapshot = new CustomResourceSnapshot { ResourceType = "Project", Properties = [], State = state },
        Services = new ServiceCollection().BuildServiceProvider(),
    };
}
