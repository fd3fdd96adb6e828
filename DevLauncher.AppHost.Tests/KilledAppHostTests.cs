using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using DevLauncher.SchemaLoop;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The AppHost process killed with SIGKILL (a crashed IDE, kill -9): it cannot stop anything itself, so DCP, which
/// watches it, must; and the next start on the same data folder must find the cluster as it was.
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class KilledAppHostTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromMinutes(1);
    private static readonly string[] Programs = ["bin/postgres -D", "DevLauncher.Auth", "DevLauncher.Backend", "DevLauncher.Frontend"];

    [Fact]
    public async Task Nothing_the_killed_AppHost_started_is_left_within_a_minute()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var folder = TemporaryFolder.Named("devlauncher-killed");
        await using var apphost = await StartAsync(folder.Path, cancellationToken);

        apphost.Signal("KILL");

        var left = await MarkedProcesses.WaitForNoneAsync(apphost.ProcessesWithMarker, CleanupLimit);
        Assert.True(left.Count == 0, $"Still running a minute after the AppHost was killed: {string.Join("; ", left)}");
    }

    [Fact]
    public async Task The_next_start_after_a_kill_has_the_data_written_before_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var folder = TemporaryFolder.Named("devlauncher-killed");
        var note = $"written before kill -9 {Guid.NewGuid():N}";
        await using (var apphost = await StartAsync(folder.Path, cancellationToken))
        {
            await Sql.ExecuteAsync(new ClusterFiles(folder.Path).ConnectionString(AppDatabaseName()),
                $"CREATE TABLE public.kill_probe (note text); INSERT INTO public.kill_probe VALUES ('{note}')", cancellationToken);
            apphost.Signal("KILL");
            await MarkedProcesses.WaitForNoneAsync(apphost.ProcessesWithMarker, CleanupLimit);
        }

        await using var next = await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken, extra: [$"--{PostgresSettings.DataDirectoryKey}={folder.Path}"]);
        var app = await next.StartAsync(cancellationToken);
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
        var owner = (await AppEndpoints.OfAsync(app, cancellationToken)).Database;
        Assert.Equal(note, await Sql.ScalarAsync<string>(owner, "SELECT note FROM public.kill_probe", cancellationToken));
    }

    /// <summary>The AppHost as a process, local mode in the folder, random ports; returned once its server and services run.</summary>
    private static async Task<AppHostProcess> StartAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var apphost = AppHostProcess.Start(new Dictionary<string, string>(), AppHostArguments.LocalOnRandomPorts(dataDirectory));
        try
        {
            var started = await MarkedProcesses.WaitForAllAsync(apphost.ProcessesWithMarker, Programs, StartTimeout, cancellationToken);
            Assert.True(started, $"Not every process started:{Environment.NewLine}{apphost.Output}");
            return apphost;
        }
        catch
        {
            await apphost.DisposeAsync();
            throw;
        }
    }

    /// <summary>The database the AppHost chooses for this checkout's branch, as it names it.</summary>
    private static string AppDatabaseName() =>
        DevDatabaseNames.ForHead(ResourceNames.Database, GitCheckout.ReadHead(Projects.DevLauncher_AppHost.ProjectPath));
}
