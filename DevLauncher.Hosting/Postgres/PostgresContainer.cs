
namespace DevLauncher.Hosting.Postgres;

/// <summary>
/// The PostgreSQL container's image and name, from the settings: Aspire's own image by default (what a developer's
/// engine pulls), another one where no registry can be reached (the image <c>scripts/container-engine.sh</c> builds),
/// and a name of its own for a container that must not be F5's (the tests'). A bad value is one line naming its key.
/// </summary>
/// <param name="Image">The configured image; null for Aspire's own (<c>docker.io/library/postgres:18.3</c> in 13.6.5).</param>
/// <param name="Name">The container's name, and its volume's (<c>&lt;name&gt;-data</c>); null for Aspire's names.</param>
internal sealed record PostgresContainer(ImageReference? Image, string? Name)
{
    /// <summary>The image as <c>[registry/]name:tag</c>, e.g. <c>devlauncher/postgres:15-bookworm</c>.</summary>
    public const string ImageKey = "DevLauncher:Postgres:Image";

    /// <summary>The container's name, and with <c>-data</c> its volume's.</summary>
    public const string NameKey = "DevLauncher:Postgres:ContainerName";

    public static PostgresContainer Resolve(IConfiguration configuration)
    {
        var name = configuration[NameKey] is { Length: > 0 } configuredName ? CheckName(configuredName) : null;
        var image = configuration[ImageKey] is { Length: > 0 } configured ? Parse(configured) : null;
        return new PostgresContainer(image, name);
    }

    /// <summary>
    /// The image, then the volume: Aspire's <c>WithDataVolume</c> reads the tag when it is called, and mounts at
    /// <c>/var/lib/postgresql</c> for 18 and later, <c>/var/lib/postgresql/data</c> for 17 and earlier.
    /// </summary>
    public IResourceBuilder<PostgresServerResource> Apply(IResourceBuilder<PostgresServerResource> postgres)
    {
        if (Image is not null)
        {
            postgres.WithImage(Image.Repository, Image.Tag).WithImageRegistry(Image.Registry);
        }

        if (Name is null)
        {
            return postgres.WithDataVolume();
        }

        return postgres.WithContainerName(Name).WithDataVolume($"{Name}-data");
    }

    private static ImageReference Parse(string value)
    {
        var slash = value.LastIndexOf('/');
        var colon = value.LastIndexOf(':');
        if (value.Contains('@') || value.Any(char.IsWhiteSpace) || colon <= slash + 1 || colon == value.Length - 1)
        {
            throw new DevLauncherStartException(
                $"{ImageKey} is '{value}': write [registry/]name:tag, e.g. devlauncher/postgres:15-bookworm (the tag's major version places the data volume).");
        }

        var (registry, image) = SplitRegistry(value[..colon]);
        return new ImageReference(registry, image, value[(colon + 1)..]);
    }

    /// <summary>Docker's rule: a first part with a dot or a port, or <c>localhost</c>, is a registry.</summary>
    private static (string?, string) SplitRegistry(string reference)
    {
        var slash = reference.IndexOf('/');
        if (slash > 0 && reference[..slash] is var first && (first.Contains('.') || first.Contains(':') || first == "localhost"))
        {
            return (first, reference[(slash + 1)..]);
        }

        return (null, reference);
    }

    private static string CheckName(string value) =>
        value.Length < 2 || !char.IsAsciiLetterOrDigit(value[0]) || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')
            ? throw new DevLauncherStartException($"{NameKey} is '{value}': use letters, digits, '_', '.' or '-', starting with a letter or digit.")
            : value;
}

/// <param name="Registry">The registry part, or null for the engine's default (docker.io).</param>
/// <param name="Repository">The image's repository, without registry or tag.</param>
/// <param name="Tag">The tag, whose major version places the data volume as Aspire does.</param>
internal sealed record ImageReference(string? Registry, string Repository, string Tag);
