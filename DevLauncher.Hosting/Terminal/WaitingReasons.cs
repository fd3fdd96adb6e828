using System.Collections.Concurrent;

namespace DevLauncher.Hosting.Terminal;

/// <summary>
/// Why a resource waits, or gave up waiting, when what it waits for failed: a property on its details panel (e.g.
/// "migrations, which failed: 0004_x.sql, 42P01, line 3"), so the dashboard never shows a bare Waiting. Cleared once
/// what it waited for succeeds.
/// </summary>
internal sealed class WaitingReasons(ResourceNotificationService notifications)
{

    private readonly ConcurrentDictionary<string, string> _waiting = new();

    public bool IsWaiting(string resourceName) => _waiting.ContainsKey(resourceName);

    public async Task SetAsync(IEnumerable<string> resourceNames, string reason, CancellationToken cancellationToken)
    {
        foreach (var name in resourceNames)
        {
            _waiting[name] = reason;
            await PublishAsync(name, s => s.With(ResourceProperties.Of(DevLauncherProperties.WaitingFor, "Waiting for", reason, highlighted: true)), cancellationToken);
        }
    }

    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        foreach (var name in _waiting.Keys.ToList())
        {
            _waiting.TryRemove(name, out _);
            await PublishAsync(name, s => s.Without(DevLauncherProperties.WaitingFor), cancellationToken);
        }
    }

    private async Task PublishAsync(string resourceName, Func<System.Collections.Immutable.ImmutableArray<ResourcePropertySnapshot>, System.Collections.Immutable.ImmutableArray<ResourcePropertySnapshot>> change, CancellationToken cancellationToken)
    {
        if (notifications.TryGetCurrentState(resourceName, out var current))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await notifications.PublishUpdateAsync(current.Resource, s => s with { Properties = change(s.Properties) });
        }
    }
}
