using DevLauncher.Contracts;
using DevLauncher.Hosting.Database;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>appdb's commands: Reset database in every mode, the branch databases' two where the AppHost runs the server.</summary>
public sealed partial class DashboardModelTests
{
    [Theory]
    [MemberData(nameof(ServersTheAppHostRuns))]
    internal void On_a_server_the_AppHost_runs_appdb_offers_the_three_database_commands(PostgresMode mode) =>
        Assert.Subset(Commands(models[mode], ResourceNames.Database).Keys.ToHashSet(),
            new HashSet<string> { DevLauncherCommands.ResetDatabase, DevLauncherCommands.ListDatabases, DevLauncherCommands.DeleteGoneDatabases });

    [Fact]
    public void On_an_existing_server_appdb_offers_Reset_alone()
    {
        var commands = Commands(models[PostgresMode.Existing], ResourceNames.Database).Keys;

        Assert.Contains(DevLauncherCommands.ResetDatabase, commands);
        Assert.DoesNotContain(DevLauncherCommands.ListDatabases, commands);
        Assert.DoesNotContain(DevLauncherCommands.DeleteGoneDatabases, commands);
    }

    [Theory]
    [MemberData(nameof(ServersTheAppHostRuns))]
    internal void On_a_server_the_AppHost_runs_Reset_confirms_that_it_replaces_the_database_with_its_template(PostgresMode mode)
    {
        var reset = Commands(models[mode], ResourceNames.Database)[DevLauncherCommands.ResetDatabase];

        Assert.Equal("Replace the database with a fresh copy of its template (every migration and the seeds)? Every row in it is lost. The services keep running.",
            reset.ConfirmationMessage);
        Assert.Equal(ResetDatabaseCommand.FromTemplateDescription, reset.DisplayDescription);
    }

    [Fact]
    public void On_an_existing_server_Reset_confirms_which_schemas_it_drops()
    {
        var reset = Commands(models[PostgresMode.Existing], ResourceNames.Database)[DevLauncherCommands.ResetDatabase];

        Assert.StartsWith("Drop every schema that the configured user owns in the database devlauncher (public excepted)", reset.ConfirmationMessage, StringComparison.Ordinal);
        Assert.Equal(ResetDatabaseCommand.ExistingServerDescription, reset.DisplayDescription);
    }

    [Theory]
    [MemberData(nameof(ServersTheAppHostRuns))]
    internal void Delete_databases_of_deleted_branches_asks_for_a_confirmation(PostgresMode mode) =>
        Assert.Equal("Drop the database of every branch that is no longer in the checkout, with all its rows?",
            Commands(models[mode], ResourceNames.Database)[DevLauncherCommands.DeleteGoneDatabases].ConfirmationMessage);

    [Theory]
    [MemberData(nameof(ServersTheAppHostRuns))]
    internal void List_branch_databases_asks_nothing(PostgresMode mode) =>
        Assert.Null(Commands(models[mode], ResourceNames.Database)[DevLauncherCommands.ListDatabases].ConfirmationMessage);

    [Theory]
    [InlineData(PostgresMode.Local, DevLauncherCommands.ResetDatabase)]
    [InlineData(PostgresMode.Local, DevLauncherCommands.ListDatabases)]
    [InlineData(PostgresMode.Local, DevLauncherCommands.DeleteGoneDatabases)]
    [InlineData(PostgresMode.Existing, DevLauncherCommands.ResetDatabase)]
    internal void Appdbs_commands_are_enabled_only_while_it_runs(PostgresMode mode, string command)
    {
        var annotation = Commands(models[mode], ResourceNames.Database)[command];

        Assert.Equal(ResourceCommandState.Enabled, annotation.UpdateState(Context(models[mode], KnownResourceStates.Running)));
        Assert.Equal(ResourceCommandState.Disabled, annotation.UpdateState(Context(models[mode], KnownResourceStates.Starting)));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    internal void No_DevLauncher_command_is_hidden_from_the_dashboard_or_the_CLI(PostgresMode mode)
    {
        string[] ours = [DevLauncherCommands.ApplyMigrations, DevLauncherCommands.CheckMigrations, DevLauncherCommands.UndoMigration, DevLauncherCommands.ResetDatabase, DevLauncherCommands.ListDatabases, DevLauncherCommands.DeleteGoneDatabases];
        var commands = Commands(models[mode], ResourceNames.Database).Values.Concat(Commands(models[mode], ResourceNames.Migrations).Values).Where(c => ours.Contains(c.Name)).ToList();

        Assert.NotEmpty(commands);
        Assert.All(commands, c => Assert.Equal(ResourceCommandVisibility.UI | ResourceCommandVisibility.Api, c.Visibility));
    }
}
