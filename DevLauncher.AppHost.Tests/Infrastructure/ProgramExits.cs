using System.Diagnostics;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// Watches the app's process table and notes, for each program, when the last of its processes went: the order in
/// which things stopped, as the machine saw it.
/// </summary>
internal sealed class ProgramExits
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private readonly TaskCompletionSource _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task<Dictionary<string, long>> _watching;

    private ProgramExits(TestAppHost host, IReadOnlyList<string> programs) => _watching = Task.Run(() => WatchAsync(host, programs, _stop.Task));

    /// <param name="programs">Parts of command lines; each must have a running process now.</param>
    public static ProgramExits Watch(TestAppHost host, IReadOnlyList<string> programs) => new(host, programs);

    /// <returns>For each program, the <see cref="Stopwatch"/> timestamp of the first look that found none of its processes.</returns>
    public async Task<IReadOnlyDictionary<string, long>> StopAsync()
    {
        _stop.TrySetResult();
        return await _watching;
    }

    public static string Describe(IReadOnlyDictionary<string, long> exited)
    {
        var first = exited.Values.Min();
        return string.Join(", ", exited.OrderBy(e => e.Value).Select(e => $"{e.Key} at {Stopwatch.GetElapsedTime(first, e.Value).TotalMilliseconds:0} ms"));
    }

    private static async Task<Dictionary<string, long>> WatchAsync(TestAppHost host, IReadOnlyList<string> programs, Task stop)
    {
        var exited = new Dictionary<string, long>();
        // The last look runs after the stop is asked for, so that a program that went meanwhile is still seen going.
        while (exited.Count < programs.Count)
        {
            var running = host.Processes();
            var now = Stopwatch.GetTimestamp();
            foreach (var program in programs.Where(p => !exited.ContainsKey(p) && !running.Any(r => r.Command.Contains(p, StringComparison.Ordinal))))
            {
                exited[program] = now;
            }

            if (stop.IsCompleted)
            {
                break;
            }

            await Task.Delay(Interval, CancellationToken.None);
        }

        return exited;
    }
}
