using System.Collections.Immutable;

namespace DevLauncher.Hosting;

/// <summary>The properties a resource shows in the dashboard's details panel, replaced by name.</summary>
internal static class ResourceProperties
{
    public static ResourcePropertySnapshot Of(string name, string displayName, object value, bool highlighted = false) =>
        new(name, value) { DisplayName = displayName, IsHighlighted = highlighted };

    /// <summary>The snapshot's properties with these replacing those of the same names.</summary>
    public static ImmutableArray<ResourcePropertySnapshot> With(this ImmutableArray<ResourcePropertySnapshot> properties, params IEnumerable<ResourcePropertySnapshot> replacements)
    {
        var replaced = replacements.ToList();
        return [.. properties.Where(p => !replaced.Any(r => r.Name == p.Name)), .. replaced];
    }

    /// <summary>The snapshot's properties without those of these names.</summary>
    public static ImmutableArray<ResourcePropertySnapshot> Without(this ImmutableArray<ResourcePropertySnapshot> properties, params IEnumerable<string> names)
    {
        var removed = names.ToHashSet(StringComparer.Ordinal);
        return [.. properties.Where(p => !removed.Contains(p.Name))];
    }
}
