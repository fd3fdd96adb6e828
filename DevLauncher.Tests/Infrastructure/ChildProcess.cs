using System.Diagnostics;
using System.Text;

namespace DevLauncher.Tests.Infrastructure;

/// <summary>A program started by a test, with everything it prints kept for assertions and failure messages.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _pumps;

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

    public static ChildProcess StartDotnet(string dll, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var argument in arguments.Prepend(dll))
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test runner's own settings must not leak into the program under test.
        startInfo.Environment.Remove("ConnectionStrings__appdb");
        startInfo.Environment.Remove("OTEL_RESOURCE_ATTRIBUTES");
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        return new ChildProcess(Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {dll}."));
    }

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

    /// <summary>SIGKILL: no chance to clean up, like a crash or an OOM kill.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    public async ValueTask DisposeAsync()
    {
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
