using System.Diagnostics;
using System.Runtime.InteropServices;
using DevLauncher.Standalone.Console;

namespace DevLauncher.Standalone.Hosting;

/// <summary>A worker or service running as <c>dotnet &lt;its dll&gt;</c>, its output relayed to the status view.</summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly Task _pumps;
    private readonly List<string> _lastLines = [];

    private ChildProcess(Process process, string name, StatusView view)
    {
        _process = process;
        Name = name;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, view), PumpAsync(process.StandardError, view));
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string dll, IReadOnlyDictionary<string, string?> environment, StatusView view)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {dll}.");
        return new ChildProcess(process, name, view);
    }

    /// <summary>The exit code once the process has ended and its output has been relayed.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _pumps;
        return _process.ExitCode;
    }

    /// <summary>The last lines it printed, to show with a failure.</summary>
    public IReadOnlyList<string> LastLines
    {
        get
        {
            lock (_lastLines)
            {
                return [.. _lastLines];
            }
        }
    }

    /// <summary>SIGTERM (ASP.NET Core and the generic host shut down cleanly on it), then a kill after the grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader, StatusView view)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            view.Log(Name, line);
            lock (_lastLines)
            {
                _lastLines.Add(line);
                if (_lastLines.Count > 40)
                {
                    _lastLines.RemoveAt(0);
                }
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
