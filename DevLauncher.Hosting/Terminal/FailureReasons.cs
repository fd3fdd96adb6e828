using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace DevLauncher.Hosting.Terminal;

/// <summary>
/// The one-line reason a resource failed: what the AppHost's own code recorded when it failed the resource's start,
/// else the last error line of the resource's console log (PostgreSQL's FATAL, an unhandled .NET exception's message).
/// </summary>
internal sealed partial class FailureReasons(ResourceLoggerService loggers)
{
    private const string SeeLog = "its console log on the dashboard says why.";

    private readonly ConcurrentDictionary<string, string> _recorded = new();

    public void Record(string resourceName, string reason) => _recorded[resourceName] = OneLine(reason);

    public async Task<string> OfAsync(ResourceEvent e, CancellationToken cancellationToken)
    {
        if (_recorded.TryRemove(e.Resource.Name, out var recorded))
        {
            return recorded;
        }

        string? last = null;
        await foreach (var batch in loggers.GetAllAsync(e.ResourceId).WithCancellation(cancellationToken))
        {
            last = batch.Select(l => ErrorLine().Match(l.Content)).LastOrDefault(m => m.Success)?.Value ?? last;
        }

        return last is null ? SeeLog : $"{OneLine(last).TrimEnd('.')}.";
    }

    private static string OneLine(string text) => string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [GeneratedRegex(@"(FATAL|PANIC|ERROR|error|Unhandled exception)\b.*$")]
    private static partial Regex ErrorLine();
}
