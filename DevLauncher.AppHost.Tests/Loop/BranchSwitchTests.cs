using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using DevLauncher.SchemaLoop;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>
/// A database per git branch on the local server: a checkout of the test's own whose HEAD the test writes, each
/// branch with its own migration files, and the app stopped and started again on the same data folder at each switch,
/// as a developer's F5 after <c>git switch</c>.
/// </summary>
[Collection(OneLoopAppAtATime.Name)]
public sealed class BranchSwitchTests : IDisposable
{
    private const string Feature = "feature/tags";
    private const string BranchRows = "SELECT coalesce(string_agg(email, ' ' ORDER BY email), '') FROM auth.users WHERE email LIKE '%@branch.test'";

    private readonly KeptDataFolder _data = new();
    private readonly GitCheckoutFolder _checkout = GitCheckoutFolder.OnBranch("main");
    private readonly ScratchMigrations _main = ScratchMigrations.CopyOfScripts();

    // Branched from main at 0007, with a 0008 of its own.
    private readonly ScratchMigrations _feature = ScratchMigrations.CopyOfScripts().Write("0008_feature_tags.sql", "CREATE TABLE app.tags (id int PRIMARY KEY, name text NOT NULL);\n");

    [Fact]
    public async Task A_new_branchs_first_start_copies_the_database_of_main_with_its_rows()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await RunOnAsync("main", _main, AddUser("main-1"), cancellationToken);
        _checkout.SwitchTo(Feature);

        await using var host = await LoopApps.StartWithoutServicesAsync(PostgresMode.Local, cancellationToken, Arguments(_feature));

        Assert.Equal($"{DevDatabaseNames.ForBranch(ResourceNames.Database, "main")}, at this start", LoopApps.DatabaseProperty(host.App!, DevLauncherProperties.CopiedFrom));
        Assert.Equal(0, MigrationsOnDashboard.Current(host.App!, ResourceNames.Migrations).ExitCode);
        Assert.Equal("main-1@branch.test", await Sql.ScalarAsync<string>(await LoopApps.OwnerAsync(host.App!, cancellationToken), BranchRows, cancellationToken));
    }

    [Fact]
    public async Task Switching_branches_back_and_forth_keeps_each_branchs_own_rows()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await RunOnAsync("main", _main, AddUser("main-1"), cancellationToken);
        await RunOnAsync(Feature, _feature, AddUser("feature-1"), cancellationToken);
        // Main moves on meanwhile: its 0008 is not the feature's, and neither branch's database may meet the other's.
        _main.Write("0008_main_notes.sql", "CREATE TABLE app.main_notes (id int PRIMARY KEY);\n");

        var onMain = await RunOnAsync("main", _main, AddUser("main-2"), cancellationToken);
        var onFeature = await RunOnAsync(Feature, _feature, "", cancellationToken);

        Assert.Equal("main-1@branch.test", onMain);
        Assert.Equal("feature-1@branch.test main-1@branch.test", onFeature);
    }

    public void Dispose()
    {
        _main.Dispose();
        _feature.Dispose();
        _checkout.Dispose();
        _data.Dispose();
    }

    private static string AddUser(string name) => $"INSERT INTO auth.users (email, password_hash) VALUES ('{name}@branch.test', 'not a hash')";

    private string[] Arguments(ScratchMigrations migrations) => [_data.Argument, _checkout.Argument, migrations.Argument];

    /// <summary>
    /// HEAD on <paramref name="branch"/>, the app started with that branch's files and stopped again: the worker
    /// finished with 0 on the branch's database, which had the rows returned, then <paramref name="statement"/> ran.
    /// </summary>
    private async Task<string> RunOnAsync(string branch, ScratchMigrations migrations, string statement, CancellationToken cancellationToken)
    {
        _checkout.SwitchTo(branch);
        await using var host = await LoopApps.StartWithoutServicesAsync(PostgresMode.Local, cancellationToken, Arguments(migrations));
        var app = host.App!;
        var worker = MigrationsOnDashboard.Current(app, ResourceNames.Migrations);
        Assert.True(worker.ExitCode == 0, $"On {branch}: {worker.State?.Text}, {LoopApps.WorkerProperty(app, DevLauncherProperties.Failure)}");
        Assert.Equal((branch, DevDatabaseNames.ForBranch(ResourceNames.Database, branch)),
            (LoopApps.DatabaseProperty(app, DevLauncherProperties.Branch), LoopApps.DatabaseProperty(app, DevLauncherProperties.DatabaseName)));
        var owner = await LoopApps.OwnerAsync(app, cancellationToken);
        var rows = await Sql.ScalarAsync<string>(owner, BranchRows, cancellationToken);
        if (statement.Length > 0)
        {
            await Sql.ExecuteAsync(owner, statement, cancellationToken);
        }

        return rows;
    }
}
