namespace DevLauncher.Standalone.Model;

/// <summary>The states Aspire's dashboard shows, so the two hosts read alike.</summary>
public enum ResourceState
{
    Waiting,
    Starting,
    Running,
    Healthy,
    Finished,
    Failed,
    Stopping,
    Stopped,
}

/// <summary>One resource as the status view shows it.</summary>
public sealed record ResourceStatus(string Name, ResourceState State, string? Url, TimeSpan? Elapsed, string? Note);
