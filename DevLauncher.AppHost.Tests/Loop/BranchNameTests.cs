using System.Text;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>
/// Checkouts whose HEAD cannot be a database's name as it is: the app starts on each, on a database whose name
/// PostgreSQL holds whole, and the dashboard shows the real branch beside it.
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class BranchNameTests
{
    private const string DetachedHead = "(detached HEAD)";
    private const string NoRepository = "(not a git repository)";

    /// <summary>Only characters a database name holds, but longer than its 63 bytes with <c>appdb_</c> before it.</summary>
    private const string LongBranch = "a_branch_made_only_of_what_a_database_name_holds_but_longer_than_its_63_bytes";

    /// <param name="services">
    /// Whether the services start too, and must turn healthy on the database: once, on the name that is hardest to pass
    /// in a connection string; the other names are the worker's and appdb's alone.
    /// </param>
    [Theory]
    [InlineData("feature/Ünïcode-Name", "feature/Ünïcode-Name", true)]
    [InlineData(LongBranch, LongBranch, false)]
    [InlineData(DetachedHead, "detached HEAD at 0123456789ab", false)]
    [InlineData(NoRepository, "not a git checkout", false)]
    public async Task The_app_starts_on_a_database_name_of_at_most_63_bytes_whatever_the_checkout(string head, string shownBranch, bool services)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var checkout = head switch
        {
            DetachedHead => GitCheckoutFolder.Detached(),
            NoRepository => GitCheckoutFolder.NotARepository(),
            _ => GitCheckoutFolder.OnBranch(head),
        };
        await using var host = services
            ? await LoopApps.StartAsync(TestAppHost.StartMode, cancellationToken, checkout.Argument)
            : await LoopApps.StartWithoutServicesAsync(TestAppHost.StartMode, cancellationToken, checkout.Argument);
        var app = host.App!;

        Assert.Equal(0, MigrationsOnDashboard.Current(app, ResourceNames.Migrations).ExitCode);
        if (services)
        {
            await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
        }

        var name = LoopApps.DatabaseProperty(app, DevLauncherProperties.DatabaseName)!;
        Assert.InRange(Encoding.UTF8.GetByteCount(name), 1, 63);
        Assert.Equal(name, await Sql.ScalarAsync<string>(await LoopApps.OwnerAsync(app, cancellationToken), "SELECT current_database()::text", cancellationToken));
        Assert.Equal(shownBranch, LoopApps.DatabaseProperty(app, DevLauncherProperties.Branch));
    }
}
