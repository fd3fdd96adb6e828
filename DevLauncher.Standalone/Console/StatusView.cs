using System.Globalization;
using DevLauncher.Standalone.Model;

namespace DevLauncher.Standalone.Console;

/// <summary>
/// The terminal view: a line whenever a resource changes state (with its URL and the time it took), a table once
/// everything is up, and every resource's log lines prefixed with its name. Colours only on a terminal; plain text
/// when redirected, so scripts and tests read the same words.
/// </summary>
public sealed class StatusView(TextWriter output, bool color, TimeProvider timeProvider)
{
    private static readonly string[] Palette = ["\u001b[36m", "\u001b[35m", "\u001b[33m", "\u001b[32m", "\u001b[34m", "\u001b[96m"];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceStatus> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _startedAt = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public void Register(string name)
    {
        lock (_gate)
        {
            _order.Add(name);
            _resources[name] = new ResourceStatus(name, ResourceState.Waiting, null, null, null);
        }
    }

    public void Update(string name, ResourceState state, string? url = null, string? note = null)
    {
        lock (_gate)
        {
            if (state == ResourceState.Starting)
            {
                _startedAt[name] = timeProvider.GetTimestamp();
            }

            TimeSpan? elapsed = _startedAt.TryGetValue(name, out var started) ? timeProvider.GetElapsedTime(started) : null;
            var previous = _resources[name];
            var status = previous with { State = state, Url = url ?? previous.Url, Elapsed = elapsed, Note = note };
            _resources[name] = status;
            output.WriteLine($"{Dot(state)} {Prefix(name)} {state.ToString().ToLowerInvariant(),-8} {Describe(status)}");
        }
    }

    public IReadOnlyList<ResourceStatus> Snapshot()
    {
        lock (_gate)
        {
            return _order.Select(n => _resources[n]).ToList();
        }
    }

    public void Log(string name, string line)
    {
        lock (_gate)
        {
            output.WriteLine($"{Prefix(name)} | {line}");
        }
    }

    public void Say(string text)
    {
        lock (_gate)
        {
            output.WriteLine(text);
        }
    }

    public void PrintTable(string heading)
    {
        lock (_gate)
        {
            output.WriteLine();
            output.WriteLine(heading);
            output.WriteLine($"  {"RESOURCE",-11} {"STATE",-9} {"TOOK",7}  URL");
            foreach (var status in _order.Select(n => _resources[n]))
            {
                var took = status.Elapsed is { } e ? e.TotalSeconds.ToString("0.0s", CultureInfo.InvariantCulture) : "";
                output.WriteLine($"  {status.Name,-11} {status.State.ToString().ToLowerInvariant(),-9} {took,7}  {status.Url}");
            }

            output.WriteLine();
        }
    }

    private static string Describe(ResourceStatus status)
    {
        var parts = new List<string>();
        if (status.Url is not null)
        {
            parts.Add(status.Url);
        }

        // The time it took to get there; on other states the figure would read as how long that state lasted.
        if (status.Elapsed is { } elapsed && status.State is ResourceState.Healthy or ResourceState.Finished or ResourceState.Failed)
        {
            parts.Add($"({elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
        }

        if (!string.IsNullOrEmpty(status.Note))
        {
            parts.Add(status.Note);
        }

        return string.Join("  ", parts);
    }

    private string Prefix(string name)
    {
        var padded = name.PadRight(10);
        return color ? $"{Palette[Math.Max(0, _order.IndexOf(name)) % Palette.Length]}{padded}\u001b[0m" : padded;
    }

    private string Dot(ResourceState state)
    {
        var (symbol, code) = state switch
        {
            ResourceState.Healthy or ResourceState.Finished => ("●", "\u001b[32m"),
            ResourceState.Failed => ("✖", "\u001b[31m"),
            ResourceState.Stopped or ResourceState.Stopping => ("○", "\u001b[90m"),
            _ => ("◌", "\u001b[33m"),
        };
        return color ? $"{code}{symbol}\u001b[0m" : symbol;
    }
}
