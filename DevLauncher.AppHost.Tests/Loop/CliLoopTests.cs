using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.SchemaLoop;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>
/// The schema loop's commands from a terminal: <c>dotnet aspire resource ...</c> against the AppHost started as its own
/// process, as <c>dotnet run</c> starts it. One AppHost serves the facts: each holds whatever order they run in
/// (Reset first, nothing added to the worker's files).
/// </summary>
[Collection(AspireCliApps.Name)]
public sealed class CliLoopTests(CliLoopTests.RunningAppHost apphost) : IClassFixture<CliLoopTests.RunningAppHost>
{
    private const string Branch = "cli-loop";

    private static string DatabaseName => DevDatabaseNames.ForBranch(ResourceNames.Database, Branch);

    [Fact]
    public async Task Reset_database_from_the_CLI_exits_0_and_prints_what_it_did()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = apphost.Data.ConnectionString(DatabaseName);
        await Sql.ExecuteAsync(database, "INSERT INTO auth.users (email, password_hash) VALUES ('before-reset@example.com', 'not a hash')", cancellationToken);

        var reset = await AspireCli.RunAsync(["resource", ResourceNames.Database, DevLauncherCommands.ResetDatabase]);

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Matches($"^{DatabaseName} copied from {ResourceNames.Database}_tpl_[0-9a-f]{{16}} in [0-9]+ ms; the services kept running\\.$", reset.StandardOutput.Trim());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(database, "SELECT count(*) FROM auth.users WHERE email = 'before-reset@example.com'", cancellationToken));
    }

    [Fact]
    public async Task Undo_from_the_CLI_with_nothing_to_take_back_exits_non_zero_with_the_reason()
    {
        // A reset leaves no run to take back: its Undo snapshot described a database that is gone.
        var reset = await AspireCli.RunAsync(["resource", ResourceNames.Database, DevLauncherCommands.ResetDatabase]);
        Assert.True(reset.ExitCode == 0, reset.ToString());

        var undo = await AspireCli.RunAsync(["resource", ResourceNames.Migrations, DevLauncherCommands.UndoMigration]);

        Assert.NotEqual(0, undo.ExitCode);
        Assert.Contains($"No snapshot of {DatabaseName}: Undo takes back a run this AppHost applied on this server.", undo.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_from_the_CLI_with_nothing_pending_exits_0_and_says_so()
    {
        var preview = await AspireCli.RunAsync(["resource", ResourceNames.Migrations, DevLauncherCommands.PreviewMigrations]);

        Assert.True(preview.ExitCode == 0, preview.ToString());
        Assert.Contains("Nothing pending: the database is at version ", preview.Text, StringComparison.Ordinal);
    }

    /// <summary>The AppHost as <c>dotnet run</c> starts it, on a data folder and a checkout of the class's own.</summary>
    public sealed class RunningAppHost : IAsyncLifetime
    {
        private readonly GitCheckoutFolder _checkout = GitCheckoutFolder.OnBranch(Branch);
        private CliAppHost? _apphost;

        public KeptDataFolder Data { get; } = new();

        public async ValueTask InitializeAsync() =>
            _apphost = await CliAppHost.StartAsync(Data, _checkout, TestContext.Current.CancellationToken);

        public async ValueTask DisposeAsync()
        {
            await (_apphost?.DisposeAsync() ?? ValueTask.CompletedTask);
            _checkout.Dispose();
            Data.Dispose();
        }
    }
}
