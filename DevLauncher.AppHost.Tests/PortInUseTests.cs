using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The AppHost run as a process on the launch profile <c>http</c>'s fixed addresses (the dashboard's 15100, 19100 and
/// 20100, the services' 5100-5102), while another program already listens on one of them: here the test process itself,
/// on auth's launch port.
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class PortInUseTests
{
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_launch_port_held_by_another_program_stops_the_AppHost_in_seconds_with_exit_2_and_one_line_naming_the_holder()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var folder = TempFolder.Named("devlauncher-port-held");
        var port = LaunchPort("Auth");
        using var holder = new TcpListener(IPAddress.Loopback, port); // another program on the port: this test's process
        holder.Start();
        var elapsed = Stopwatch.StartNew();
        await using var apphost = AppHostProcess.Start(new Dictionary<string, string>(), AppHostArguments.LocalOnHttpProfile(folder.Path));

        Assert.True(await apphost.WaitForExitAsync(RefusalTimeout, cancellationToken), apphost.Output);
        elapsed.Stop();
        Assert.Equal(2, apphost.ExitCode);
        var line = Assert.Single(apphost.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"Port {port} ({ResourceNames.Auth}) is in use by pid {Environment.ProcessId} (", line, StringComparison.Ordinal);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), $"The refusal took {elapsed.Elapsed}.");
        Assert.DoesNotContain("/login?t=", apphost.Output, StringComparison.Ordinal);
        Assert.Empty(await MarkedProcesses.WaitForNoneAsync(apphost.ProcessesWithMarker, TimeSpan.FromSeconds(10)));
    }

    /// <summary>The port of a service's launch profile, as its launchSettings.json gives it.</summary>
    private static int LaunchPort(string service)
    {
        var settings = Path.Combine(Projects.DevLauncher_AppHost.ProjectPath, "..", "services", service, "Properties", "launchSettings.json");
        var profiles = JsonDocument.Parse(File.ReadAllText(settings)).RootElement.GetProperty("profiles").EnumerateObject();
        return new Uri(profiles.Select(p => p.Value.GetProperty("applicationUrl").GetString()!).First(u => u.StartsWith("http://", StringComparison.Ordinal))).Port;
    }
}
