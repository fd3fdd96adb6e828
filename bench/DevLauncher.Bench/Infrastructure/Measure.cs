using System.Diagnostics;
using System.Globalization;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>min / median / max of repeated runs. Wall-clock samples are noisy on shared 2-core machines, so every
/// figure is reported beside a peer measured in the same run, and the ratio is the result.</summary>
public sealed record Sample(string Name, IReadOnlyList<double> Values, string Unit = "ms")
{
    public double Min => Values.Min();

    public double Median
    {
        get
        {
            var sorted = Values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public double Max => Values.Max();

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Min,9:0.0} {Median,9:0.0} {Max,9:0.0} {Unit}");
}

public static class Measure
{
    public static async Task<Sample> RepeatAsync(string name, int times, Func<int, Task<double>> once)
    {
        // One run first, not recorded: JIT and connection warm-up would otherwise land on whichever tool goes first.
        await once(-1);
        var values = new List<double>();
        for (var i = 0; i < times; i++)
        {
            values.Add(await once(i));
        }

        return new Sample(name, values);
    }

    public static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalMilliseconds;
    }
}

/// <summary>Collects the result table and prints it as Markdown, ready for the README.</summary>
public sealed class Report
{
    private readonly List<string> _rows = [];

    public void Add(string scenario, Sample sample, string comparison = "", string target = "")
    {
        _rows.Add($"| {scenario} | {sample.Name} | {sample.Describe()} | {comparison} | {target} |");
        Console.WriteLine($"{scenario,-34} {sample.Name,-34} {sample.Describe()}  {comparison}  {target}");
    }

    public void Note(string scenario, string what, string value, string comparison = "", string target = "")
    {
        _rows.Add($"| {scenario} | {what} | {value} | {comparison} | {target} |");
        Console.WriteLine($"{scenario,-34} {what,-34} {value}  {comparison}  {target}");
    }

    public string Markdown() =>
        "| scenario | measured | min / median / max | ratio to peer | target |\n| --- | --- | --- | --- | --- |\n" + string.Join("\n", _rows);

    public static string Ratio(Sample ours, Sample peer) => string.Create(CultureInfo.InvariantCulture, $"{ours.Median / peer.Median:0.00}x {peer.Name}");
}
