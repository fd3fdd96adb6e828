namespace DevLauncher.Contracts;

/// <summary>
/// The body of a service's <c>/health</c>: its overall status and each check with its description, so that the reason
/// (<c>needs schema 0006, database has 0003</c>) reaches whoever polls it, the AppHost's dashboard included.
/// </summary>
/// <param name="Status">A <c>HealthStatus</c> name: Healthy, Degraded or Unhealthy.</param>
public sealed record HealthDocument(string Status, IReadOnlyList<HealthDocumentEntry> Checks)
{
    public const string Healthy = "Healthy";

    /// <summary>Where a service answers with this document, every check counted (Aspire's service defaults' path).</summary>
    public const string HealthPath = "/health";

    /// <summary>Where a service answers whether it is alive: only the checks tagged <c>live</c>.</summary>
    public const string AlivePath = "/alive";

    /// <summary>The descriptions of the checks that are not healthy, in the words the checks used.</summary>
    public IEnumerable<string> Reasons => Checks
        .Where(c => c.Status != Healthy)
        .Select(c => c.Description is { Length: > 0 } description ? description : $"{c.Name} is {c.Status}");
}

public sealed record HealthDocumentEntry(string Name, string Status, string? Description);
