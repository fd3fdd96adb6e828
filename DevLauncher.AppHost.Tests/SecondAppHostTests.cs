using DevLauncher.AppHost.Tests.Infrastructure;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// A second AppHost of the same checkout (the same local cluster) while the first runs: the second stops at once, and
/// the first, its server and its data are left as they were. The first runs in this process (<see cref="RunningLocalApp"/>),
/// so "the first one's pid" is this process's; the second is the built AppHost run as a process, as a second terminal
/// would run it.
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class SecondAppHostTests(RunningLocalApp first) : IClassFixture<RunningLocalApp>
{
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_second_AppHost_on_the_same_cluster_exits_with_code_2()
    {
        await using var second = await RunSecondAsync();

        Assert.Equal(2, second.ExitCode);
    }

    [Fact]
    public async Task A_second_AppHosts_one_line_names_the_first_ones_pid_and_cluster()
    {
        await using var second = await RunSecondAsync();

        var line = Assert.Single(second.OutputLines);
        Assert.StartsWith($"Another AppHost (pid {Environment.ProcessId}: ", line, StringComparison.Ordinal);
        Assert.EndsWith($"is using the PostgreSQL cluster in {first.Cluster.Directory}: stop it first.", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_AppHost_is_left_unharmed_by_a_refused_second_one()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var serverPid = first.Cluster.ServerPid;

        await using (await RunSecondAsync())
        {
        }

        Assert.NotNull(serverPid);
        Assert.Equal(serverPid, first.Cluster.ServerPid);
        var owner = (await AppEndpoints.OfAsync(first.App, cancellationToken)).Database;
        Assert.Equal(first.ProbeNote, await Sql.ScalarAsync<string>(owner, $"SELECT note FROM {RunningLocalApp.ProbeTable}", cancellationToken));
        Assert.All(AppResources.Services, s => Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            MigrationsOnDashboard.Current(first.App, s).HealthStatus));
    }

    /// <summary>The second AppHost, run to its end: local mode on the first one's cluster, random ports.</summary>
    private async Task<AppHostProcess> RunSecondAsync()
    {
        var second = AppHostProcess.Start(new Dictionary<string, string>(), AppHostArguments.LocalOnRandomPorts(first.Cluster.Directory));
        try
        {
            Assert.True(await second.WaitForExitAsync(RefusalTimeout, TestContext.Current.CancellationToken), second.Output);
            Assert.Empty(await MarkedProcesses.WaitForNoneAsync(second.ProcessesWithMarker, TimeSpan.FromSeconds(10)));
            return second;
        }
        catch
        {
            await second.DisposeAsync();
            throw;
        }
    }
}
