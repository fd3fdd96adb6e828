using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace DevLauncher.Testing;

/// <summary>What a command printed, how it exited and how long it took.</summary>
public sealed partial record CommandResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>
    /// Everything it printed as a reader sees it: without the terminal's escape sequences (the CLI colours each piece of a
    /// line it wraps at the terminal's width), and each run of white space one space.
    /// </summary>
    public string Text => Whitespace().Replace(EscapeSequence().Replace($"{StandardOutput} {StandardError}", ""), " ").Trim();

    // CSI (colours) and OSC (links) sequences.
    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x1b\x07]*(\x07|\x1b\\)")]
    private static partial Regex EscapeSequence();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public override string ToString() =>
        $"exit code {ExitCode} after {Elapsed.TotalSeconds:0.0} s{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput}stderr:{Environment.NewLine}{StandardError}";
}

/// <summary>
/// Runs a command line to its end, as a developer's terminal does. A command may leave a process of its own behind
/// (<c>aspire start</c> does, by design) that keeps the output pipes open: the command's end is its exit, and what it
/// printed is what arrived by then, plus a short grace for the last lines.
/// </summary>
public static class CommandRun
{
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var elapsed = Stopwatch.StartNew();
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{fileName} did not start");
        process.StandardInput.Close();
        var (output, error) = (Collect(process, standardError: false), Collect(process, standardError: true));
        var exited = await Task.Run(() => process.WaitForExit(timeout));
        elapsed.Stop();
        await Task.WhenAny(Task.WhenAll(output.Done, error.Done), Task.Delay(OutputGrace));
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} ran longer than {timeout}:{Environment.NewLine}{output.Text}{error.Text}");
        }

        return new CommandResult(process.ExitCode, output.Text, error.Text, elapsed.Elapsed);
    }

    private static Captured Collect(Process process, bool standardError)
    {
        var stream = new Captured();
        DataReceivedEventHandler handler = (_, e) => stream.Add(e.Data);
        if (standardError)
        {
            process.ErrorDataReceived += handler;
            process.BeginErrorReadLine();
        }
        else
        {
            process.OutputDataReceived += handler;
            process.BeginOutputReadLine();
        }

        return stream;
    }

    private sealed class Captured
    {
        private readonly StringBuilder _text = new();
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public void Add(string? line)
        {
            if (line is null)
            {
                _done.TrySetResult();
                return;
            }

            lock (_text)
            {
                _text.AppendLine(line);
            }
        }
    }
}
