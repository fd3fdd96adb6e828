using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DevLauncher.Testing;

/// <summary>
/// A program started by a test or the bench, with everything it prints kept for checks and failure messages. Its output
/// is always read: a redirected pipe that nobody reads fills up and blocks the program.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _pumps;
    private bool _disposed;

    private ChildProcess(Process process)
    {
        _process = process;
        _pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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

    /// <param name="environment">Set on top of this process's environment; a null value unsets a variable.</param>
    public static ChildProcess Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment,
        string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(key);
            }
            else
            {
                startInfo.Environment[key] = value;
            }
        }

        return new ChildProcess(Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {program}."));
    }

    /// <summary>A built .NET program, from its own folder, as the AppHost runs one in development.</summary>
    public static ChildProcess StartDotnet(string dll, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        // The runner's own settings must not leak into the program under test.
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings__appdb"] = null,
            ["OTEL_RESOURCE_ATTRIBUTES"] = null,
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        return Start("dotnet", arguments.Prepend(dll), settings, Path.GetDirectoryName(dll));
    }

    /// <summary>Its exit code; past <paramref name="timeout"/>, kills it with what it started and throws with its output.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The process did not exit within {timeout}. Output:{Environment.NewLine}{Output}");
        }

        await _pumps;
        return _process.ExitCode;
    }

    /// <summary>Waits until the program has printed <paramref name="text"/>; fails with its output if it exits or takes too long.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || cts.IsCancellationRequested)
            {
                var when = _process.HasExited ? "before it exited" : $"within {timeout}";
                throw new TimeoutException($"The process did not print '{text}' {when}. Output:{Environment.NewLine}{Output}");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>Sends a signal the way a terminal (SIGINT, Ctrl-C) or a process manager (SIGTERM) does.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, Id.ToString(CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("Could not start kill.");
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL: no chance to clean up, like a crash or an OOM kill.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    /// <summary>Kills whatever is still running of it, so that a run that failed half way leaves nothing behind.</summary>
    /// <summary>Kills what is left of the tree; a second call (a caller's stop, then its <c>await using</c>) does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
