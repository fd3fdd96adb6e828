using DevLauncher.Hosting.Database;

namespace DevLauncher.Hosting;

/// <summary>
/// Who waits for whom, and who uses which database, as the model says it: the resources' wait annotations
/// (<c>WaitFor</c>, <c>WaitForCompletion</c>) and reference relationships (<c>WithReference</c>). The commands, the stop
/// order and the terminal's lines read the app's topology here rather than from a list of names.
/// </summary>
internal static class Topology
{
    private const string ReferenceRelationship = "Reference";

    /// <summary>Every resource that waits for one of these, directly or through another that waits.</summary>
    public static IReadOnlyList<IResource> WaitingFor(this DistributedApplicationModel model, params IEnumerable<IResource> resources)
    {
        var found = new List<IResource>();
        var frontier = new Queue<IResource>(resources);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var waiter in model.Resources.Where(r => !found.Contains(r) && WaitsFor(r, current)))
            {
                found.Add(waiter);
                frontier.Enqueue(waiter);
            }
        }

        return found;
    }

    /// <summary>The app databases in the model, with their state.</summary>
    public static IEnumerable<(IResource Resource, AppDatabaseAnnotation Database)> AppDatabases(this DistributedApplicationModel model) =>
        model.Resources.SelectMany(r => r.Annotations.OfType<AppDatabaseAnnotation>().Select(a => (r, a)));

    /// <summary>The services of an app database: the resources that reference its services' connection.</summary>
    public static IReadOnlyList<IResource> ServicesOf(this DistributedApplicationModel model, AppDatabaseAnnotation database) =>
        [.. model.Resources.Where(r => r.Annotations.OfType<ResourceRelationshipAnnotation>()
            .Any(a => a.Type == ReferenceRelationship && a.Resource == database.Service))];

    /// <summary>The services of every app database: what stops first when the app stops.</summary>
    public static IReadOnlyList<IResource> Services(this DistributedApplicationModel model) =>
        [.. model.AppDatabases().SelectMany(d => model.ServicesOf(d.Database)).Distinct()];

    /// <summary>The server an app database is on, when the AppHost runs it.</summary>
    public static IResource? ServerOf(IResource database) => database is IResourceWithParent child ? child.Parent : null;

    private static bool WaitsFor(IResource resource, IResource target) =>
        resource.Annotations.OfType<WaitAnnotation>().Any(w => w.Resource == target);
}
