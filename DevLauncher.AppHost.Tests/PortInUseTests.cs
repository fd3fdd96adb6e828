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
public sealed class PortInUseTests(PortInUseTests.Refusal refusal) : IClassFixture<PortInUseTests.Refusal>
{
    [Fact]
    public void The_AppHost_exits_with_code_2() => Assert.True(refusal.ExitCode == 2, $"exit code {refusal.ExitCode}:{Environment.NewLine}{refusal.Output}");

    [Fact]
    public void Its_one_line_names_the_port_and_the_program_holding_it()
    {
        var line = Assert.Single(refusal.OutputLines);
        Assert.StartsWith($"Port {refusal.Port} ({ResourceNames.Auth}) is in use by pid {Environment.ProcessId} (", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_local_servers_folder_is_left_untouched() =>
        // The port check runs before the local server's folder is opened, so a refused start creates nothing.
        Assert.False(Directory.Exists(refusal.DataDirectory), $"{refusal.DataDirectory} was created");

    [Fact]
    public void Nothing_it_started_is_left_running() => Assert.Empty(refusal.Left);

    /// <summary>One refused start, which each fact reads.</summary>
    public sealed class Refusal : IAsyncLifetime
    {
        private static readonly TimeSpan RefusalTimeout = TimeSpan.FromMinutes(1);
        private readonly TemporaryFolder _folder = TemporaryFolder.Named("devlauncher-port-held");

        public int Port { get; } = LaunchPort("Auth");

        public string DataDirectory => _folder.Path;

        public int? ExitCode { get; private set; }

        public string Output { get; private set; } = "";

        public IReadOnlyList<string> OutputLines { get; private set; } = [];

        public IReadOnlyList<(int Pid, string Command)> Left { get; private set; } = [];

        public async ValueTask InitializeAsync()
        {
            using var holder = new TcpListener(IPAddress.Loopback, Port); // another program on the port: this test's process
            holder.Start();
            await using var apphost = AppHostProcess.Start(new Dictionary<string, string>(), AppHostArguments.LocalOnHttpProfile(_folder.Path));
            var exited = await apphost.WaitForExitAsync(RefusalTimeout, TestContext.Current.CancellationToken);
            (ExitCode, Output, OutputLines) = (exited ? apphost.ExitCode : null, apphost.Output, apphost.OutputLines);
            Left = await MarkedProcesses.WaitForNoneAsync(apphost.ProcessesWithMarker, TimeSpan.FromSeconds(10));
        }

        public ValueTask DisposeAsync()
        {
            _folder.Dispose();
            return ValueTask.CompletedTask;
        }

        /// <summary>The port of a service's launch profile, as its launchSettings.json gives it.</summary>
        private static int LaunchPort(string service)
        {
            var settings = Path.Combine(Projects.DevLauncher_AppHost.ProjectPath, "..", "services", service, "Properties", "launchSettings.json");
            var profiles = JsonDocument.Parse(File.ReadAllText(settings)).RootElement.GetProperty("profiles").EnumerateObject();
            return new Uri(profiles.Select(p => p.Value.GetProperty("applicationUrl").GetString()!).First(u => u.StartsWith("http://", StringComparison.Ordinal))).Port;
        }
    }
}
