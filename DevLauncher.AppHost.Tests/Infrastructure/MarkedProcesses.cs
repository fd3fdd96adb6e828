using System.Diagnostics;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// Waits on the processes that carry a test's marker (<see cref="AppHostProcess.ProcessesWithMarker"/>, or a CLI run's
/// <see cref="ProcessTable.WithEnvironment"/>): until some programs run, or until none is left; and ends what is left.
/// </summary>
public static class MarkedProcesses
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <returns>True once, for each name, a process whose command line contains it runs.</returns>
    public static async Task<bool> WaitForAllAsync(Func<IReadOnlyList<(int Pid, string Command)>> processes, IReadOnlyList<string> names,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var commands = processes().Select(p => p.Command).ToList();
            if (names.All(name => commands.Any(c => c.Contains(name, StringComparison.Ordinal))))
            {
                return true;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        return false;
    }

    /// <returns>What is still running once the timeout has passed; empty as soon as nothing is.</returns>
    public static async Task<IReadOnlyList<(int Pid, string Command)>> WaitForNoneAsync(Func<IReadOnlyList<(int Pid, string Command)>> processes,
        TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var left = processes();
        while (left.Count > 0 && deadline.Elapsed < timeout)
        {
            await Task.Delay(Poll, CancellationToken.None);
            left = processes();
        }

        return left;
    }

    /// <summary>For a test's cleanup: waits a little for the processes to go by themselves, then kills what is left.</summary>
    public static async Task EndAsync(Func<IReadOnlyList<(int Pid, string Command)>> processes, TimeSpan patience)
    {
        foreach (var (pid, _) in await WaitForNoneAsync(processes, patience))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // gone meanwhile
            }
        }
    }
}
