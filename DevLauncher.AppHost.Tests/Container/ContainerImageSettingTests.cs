using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using Microsoft.Extensions.Configuration;

namespace DevLauncher.AppHost.Tests.Container;

/// <summary>
/// The container's image and name settings, in the model only (nothing starts, no engine is needed): Aspire's image by
/// default, a configured one with the data volume where that image's major version keeps its data, and a bad value as
/// one line naming its key.
/// </summary>
public sealed class ContainerImageSettingTests
{
    /// <summary>Aspire's image by default; a configured PostgreSQL 15 image keeps its volume where 17 and earlier keep their data.</summary>
    [Theory]
    [InlineData(null, "docker.io", "library/postgres", "18.3", "/var/lib/postgresql")]
    [InlineData("devlauncher/postgres:15-bookworm", null, "devlauncher/postgres", "15-bookworm", "/var/lib/postgresql/data")]
    public async Task The_image_and_its_tags_major_version_place_the_data_volume(string? setting, string? registry, string image, string tag, string volumeTarget)
    {
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Container, TestContext.Current.CancellationToken, keepPersistence: true,
            extra: setting is null ? [] : [$"--{PostgresContainer.ImageKey}={setting}"]);

        var postgres = host.Resource(ResourceNames.Postgres);
        var annotation = postgres.Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal((registry, image, tag, volumeTarget), (annotation.Registry, annotation.Image, annotation.Tag, DataVolume(postgres).Target));
    }

    [Fact]
    public async Task A_configured_container_name_names_the_container_and_its_volume()
    {
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Container, TestContext.Current.CancellationToken, keepPersistence: true,
            extra: [$"--{PostgresContainer.NameKey}=devlauncher-pg-x"]);

        var postgres = host.Resource(ResourceNames.Postgres);
        Assert.Equal("devlauncher-pg-x", postgres.Annotations.OfType<ContainerNameAnnotation>().Single().Name);
        Assert.Equal("devlauncher-pg-x-data", DataVolume(postgres).Source);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("postgres:")]
    [InlineData("registry.local:5000/postgres")]
    [InlineData("postgres@sha256:abc")]
    public void An_image_without_a_tag_is_one_line_naming_the_key(string value)
    {
        var error = Assert.Throws<DevLauncherStartException>(() => Resolve(PostgresContainer.ImageKey, value));

        Assert.StartsWith($"{PostgresContainer.ImageKey} is '{value}': write [registry/]name:tag", error.Message);
    }

    [Fact]
    public void A_registry_with_a_port_is_kept_apart_from_the_tag() =>
        Assert.Equal(new ImageReference("registry.local:5000", "team/postgres", "17.6"),
            Resolve(PostgresContainer.ImageKey, "registry.local:5000/team/postgres:17.6").Image);

    [Fact]
    public void A_bad_container_name_is_one_line_naming_the_key() =>
        Assert.StartsWith($"{PostgresContainer.NameKey} is 'my container'",
            Assert.Throws<DevLauncherStartException>(() => Resolve(PostgresContainer.NameKey, "my container")).Message);

    private static ContainerMountAnnotation DataVolume(IResource postgres) =>
        postgres.Annotations.OfType<ContainerMountAnnotation>().Single(m => m.Type == ContainerMountType.Volume);

    private static PostgresContainer Resolve(string key, string value) =>
        PostgresContainer.Resolve(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build());
}
