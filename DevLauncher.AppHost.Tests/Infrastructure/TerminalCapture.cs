using DevLauncher.Hosting.Terminal;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The lines the AppHost writes for a developer in its terminal (<see cref="TerminalOutput"/>), kept in memory instead
/// of on standard error: the same singleton every writer asks for, over a <see cref="StringWriter"/>. A test that runs
/// the app in its own process sees the same lines, mixed with the logger's; this one sees only them.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A StringWriter holds no resource, and the app may write to it until it has stopped, after the test's last look.")]
public sealed class TerminalCapture
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly StringWriter _writer = new();

    private TerminalCapture()
    {
    }

    /// <summary>Call before the app is built: the last registration is the one the AppHost's services get.</summary>
    public static TerminalCapture Replace(IDistributedApplicationTestingBuilder builder)
    {
        var capture = new TerminalCapture();
        builder.Services.AddSingleton(new TerminalOutput(capture._writer));
        return capture;
    }

    /// <summary>Every line written so far; TerminalOutput writes under a lock on the writer, so no line is read half written.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_writer)
            {
                return _writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    public string Text => string.Join(Environment.NewLine, Lines);

    /// <summary>The first line that matches, once written; a timeout says every line there was.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        for (var line = Lines.FirstOrDefault(match); ; line = Lines.FirstOrDefault(match))
        {
            if (line is not null)
            {
                return line;
            }

            if (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"No such terminal line within {timeout}; the terminal had:{Environment.NewLine}{Text}");
            }

            await Task.Delay(Poll, CancellationToken.None);
        }
    }
}
