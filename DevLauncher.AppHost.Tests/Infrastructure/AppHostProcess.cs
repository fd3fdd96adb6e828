using System.Diagnostics;
using System.Text;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The built AppHost run as the README's run command runs it: its own process, with its output kept. Every process it
/// starts inherits <see cref="Marker"/> in its environment, so the test can find them all, and any left behind.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppHostProcess(Process process, string marker)
    {
        _process = process;
        Marker = marker;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Marker { get; }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>What it printed, a line each, without blank lines: a refused start prints exactly one.</summary>
    public IReadOnlyList<string> OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static AppHostProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartDotnet(Path.GetDirectoryName(AppHostDll)!, environment, [AppHostDll, .. arguments]);

    /// <summary><c>dotnet</c> with <paramref name="arguments"/> (another AppHost, e.g. <c>run --project</c>), marked and captured the same way.</summary>
    public static AppHostProcess StartDotnet(string workingDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var marker = $"apphost-test-{Guid.NewGuid():N}";
        // A test run started in the background (nohup, a job of a script) ignores SIGINT, and a child inherits that:
        // env resets it, so the AppHost meets Ctrl-C as it does in a terminal, however the tests were started.
        var startInfo = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            Environment = { ["DEVLAUNCHER_TEST_MARKER"] = marker, ["DOTNET_ENVIRONMENT"] = "Development" },
        };
        foreach (var argument in (string[])["--default-signal=INT", "dotnet", .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        return new AppHostProcess(Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start"), marker);
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Sends a signal the way a terminal (SIGINT, Ctrl-C) or a process manager (SIGTERM) does.</summary>
    public void Signal(string signal) => Process.Start("kill", ["-s", signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    /// <summary>Every live process whose environment carries the marker, the AppHost itself included.</summary>
    public IReadOnlyList<(int Pid, string Command)> ProcessesWithMarker() => ProcessTable.WithEnvironment("DEVLAUNCHER_TEST_MARKER=" + Marker);

    public async ValueTask DisposeAsync()
    {
        // A test that failed half way must still leave nothing running.
        foreach (var (pid, _) in ProcessesWithMarker())
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static string AppHostDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var project = Projects.DevLauncher_AppHost.ProjectPath;
            return Path.Combine(project, "bin", configuration, "net10.0", "DevLauncher.AppHost.dll");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
