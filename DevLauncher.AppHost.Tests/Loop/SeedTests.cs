using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>The seeds (services/Migrations/Seeds: a demo user with threads) on a server the AppHost runs.</summary>
[Collection(OneAppAtATime.Name)]
public sealed class SeedTests
{
    private const string Seeded = "1 user, 3 threads, 8 messages";

    /// <summary>The demo user, and the threads and messages they wrote, counted.</summary>
    private const string DemoData = """
        SELECT (SELECT count(*) FROM auth.users WHERE email = 'demo@devlauncher.dev') || ' user, '
            || (SELECT count(*) FROM app.threads t JOIN auth.users u ON u.id = t.owner_id WHERE u.email = 'demo@devlauncher.dev') || ' threads, '
            || (SELECT count(*) FROM app.messages m JOIN auth.users u ON u.id = m.author_id WHERE u.email = 'demo@devlauncher.dev') || ' messages'
        """;

    [Fact]
    public async Task Seeds_run_once_on_a_new_database()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartAsync(cancellationToken);
        var (app, owner) = (loop.App, loop.Owner);
        Assert.Equal(Seeded, await Sql.ScalarAsync<string>(owner, DemoData, cancellationToken));
        Assert.Equal("0001_demo.sql", LoopApps.WorkerProperty(app, DevLauncherProperties.Seeded));

        var again = await ExecuteAsync(app, ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations, cancellationToken);

        Assert.True(again.Success, again.Message);
        Assert.Equal("none", LoopApps.WorkerProperty(app, DevLauncherProperties.Seeded));
        Assert.Equal(Seeded, await Sql.ScalarAsync<string>(owner, DemoData, cancellationToken));
    }

    [Fact]
    public async Task Reset_database_brings_back_the_demo_user_a_developer_deleted()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartAsync(cancellationToken);
        var (app, owner) = (loop.App, loop.Owner);
        await Sql.ExecuteAsync(owner, "DELETE FROM auth.users WHERE email = 'demo@devlauncher.dev'", cancellationToken);
        Assert.Equal("0 user, 0 threads, 0 messages", await Sql.ScalarAsync<string>(owner, DemoData, cancellationToken));

        var reset = await ExecuteAsync(app, ResourceNames.Database, DevLauncherCommands.ResetDatabase, cancellationToken);

        Assert.True(reset.Success, reset.Message);
        Assert.Equal(Seeded, await Sql.ScalarAsync<string>(owner, DemoData, cancellationToken));
    }
}
