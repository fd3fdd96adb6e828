using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>The AppHost as the README's run command starts it: a process of its own, stopped by a signal.</summary>
public static class RunCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Collection(OneAppAtATime.Name)]
    public sealed class WithNothingToRunPostgreSQL
    {
        [Fact]
        public async Task The_start_ends_with_one_line_naming_what_to_install()
        {
            var cancellationToken = TestContext.Current.CancellationToken;
            await using var apphost = AppHostProcess.Start(
                new Dictionary<string, string> { ["ASPIRE_CONTAINER_RUNTIME"] = "devlauncher-no-such-runtime" },
                ["--ConnectionStrings:appdb=", $"--{PostgresSettings.BinDirectoryKey}=/nonexistent/postgresql/bin", .. AppHostArguments.RandomPorts]);

            Assert.True(await apphost.WaitForExitAsync(Timeout, cancellationToken), apphost.Output);
            Assert.Equal(2, apphost.ExitCode);
            var line = Assert.Single(apphost.OutputLines);
            Assert.Contains(PostgresSettings.InstallCommand, line, StringComparison.Ordinal);
        }
    }

    /// <summary>Ctrl-C in the terminal.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class ASigint(ASigint.Run run) : SignalTests(run), IClassFixture<ASigint.Run>
    {
        public sealed class Run() : SignalledRun("INT");
    }

    /// <summary>A process manager's stop.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class ASigterm(ASigterm.Run run) : SignalTests(run), IClassFixture<ASigterm.Run>
    {
        public sealed class Run() : SignalledRun("TERM");
    }

    /// <summary>What a signal to a running AppHost leaves; the same for each signal.</summary>
    public abstract class SignalTests(SignalledRun run)
    {
        [Fact]
        public void The_AppHost_exits_with_code_0() =>
            // A clean stop, as scripts and process managers read it.
            Assert.True(run.ExitCode == 0, $"The AppHost exited with {run.ExitCode}:{Environment.NewLine}{run.Output}");

        [Fact]
        public void Every_process_the_AppHost_started_is_gone_PostgreSQL_included() =>
            Assert.Empty(run.Left);
    }

    /// <summary>The built AppHost on local PostgreSQL in a fresh folder, once its processes run, stopped by a signal.</summary>
    public abstract class SignalledRun(string signal) : IAsyncLifetime
    {
        private readonly string _dataDirectory = TestAppHost.NewDataDirectory();

        public int ExitCode { get; private set; }

        public string Output { get; private set; } = "";

        public IReadOnlyList<(int Pid, string Command)> Left { get; private set; } = [];

        public async ValueTask InitializeAsync()
        {
            try
            {
                await RunAsync(TestContext.Current.CancellationToken);
            }
            catch
            {
                await DisposeAsync(); // a fixture that fails to initialize is not disposed by xunit
                throw;
            }
        }

        private async Task RunAsync(CancellationToken cancellationToken)
        {
            await using var apphost = AppHostProcess.Start(new Dictionary<string, string>(), AppHostArguments.LocalOnRandomPorts(_dataDirectory));
            var started = await MarkedProcesses.WaitForAllAsync(apphost.ProcessesWithMarker, ["postgres", "DevLauncher.Auth", "DevLauncher.Backend", "DevLauncher.Frontend"],
                Timeout, cancellationToken);
            Assert.True(started, $"Not every process started:{Environment.NewLine}{apphost.Output}");

            apphost.Signal(signal);
            Assert.True(await apphost.WaitForExitAsync(Timeout, cancellationToken), $"The AppHost did not stop:{Environment.NewLine}{apphost.Output}");
            (ExitCode, Output) = (apphost.ExitCode, apphost.Output);
            // DCP watches the AppHost's process and, once it has exited, stops what it started: wait for that.
            Left = await MarkedProcesses.WaitForNoneAsync(apphost.ProcessesWithMarker, Timeout);
        }

        public ValueTask DisposeAsync()
        {
            if (Directory.Exists(_dataDirectory))
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }

            GC.SuppressFinalize(this);
            return ValueTask.CompletedTask;
        }
    }
}
