using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Migrations;
using DevLauncher.Hosting.Postgres;
using DevLauncher.SchemaLoop;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>
/// Undo last migration where there is nothing it may take back: disabled, and its tooltip and the worker's
/// <c>migrations.undo</c> property say why.
/// </summary>
[Collection(OneLoopAppAtATime.Name)]
public sealed class UndoDisabledTests
{
    [Fact]
    public async Task Undo_is_disabled_on_a_first_start_whose_database_was_copied_from_another_branch()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new KeptDataFolder();
        using var checkout = GitCheckoutFolder.OnBranch("main");
        await (await LoopApps.StartWithoutServicesAsync(PostgresMode.Local, cancellationToken, data.Argument, checkout.Argument)).DisposeAsync();
        checkout.SwitchTo("feature/same-files");

        await using var host = await LoopApps.StartWithoutServicesAsync(PostgresMode.Local, cancellationToken, data.Argument, checkout.Argument);

        var main = DevDatabaseNames.ForBranch(ResourceNames.Database, "main");
        Assert.Equal($"{main}, at this start", LoopApps.DatabaseProperty(host.App!, DevLauncherProperties.CopiedFrom));
        var feature = DevDatabaseNames.ForBranch(ResourceNames.Database, "feature/same-files");
        await AssertUndoDisabledAsync(host.App!, $"No snapshot of {feature}: Undo takes back a run this AppHost applied on this server.", cancellationToken);
    }

    [Fact]
    public async Task Undo_is_disabled_on_an_existing_server()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await ExistingServers.StartAsync(cancellationToken);

        await using var host = await LoopApps.StartWithoutServicesAsync(PostgresMode.Existing, cancellationToken, ExistingServers.Argument(server));

        Assert.Equal(0, MigrationsOnDashboard.Current(host.App!, ResourceNames.Migrations).ExitCode);
        await AssertUndoDisabledAsync(host.App!, UndoCommand.ExistingServer, cancellationToken);
    }

    /// <summary>Once the worker's run has published what Undo would do: the property, the command's state and its tooltip.</summary>
    private static async Task AssertUndoDisabledAsync(DistributedApplication app, string reason, CancellationToken cancellationToken)
    {
        var published = await app.ResourceNotifications.WaitForResourceAsync(ResourceNames.Migrations,
                e => MigrationsOnDashboard.Property(e.Snapshot, DevLauncherProperties.Undo) is not null, cancellationToken)
            .WaitAsync(AppResources.WaitTimeout, cancellationToken);
        var undo = published.Snapshot.Commands.Single(c => c.Name == DevLauncherCommands.UndoMigration);
        Assert.Equal(reason, MigrationsOnDashboard.Property(published.Snapshot, DevLauncherProperties.Undo));
        Assert.Equal((ResourceCommandState.Disabled, reason), (undo.State, undo.DisplayDescription));
    }
}
