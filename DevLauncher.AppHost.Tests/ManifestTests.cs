using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// Publish mode, as a deploy tool reads it: <c>dotnet run --project DevLauncher.AppHost -- --publisher manifest</c>
/// writes a manifest in which every <c>{resource.…}</c> reference resolves and no value is a path of this machine.
/// </summary>
public static partial class ManifestTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>The default: Aspire's PostgreSQL server and database.</summary>
    public sealed class OnAspiresPostgreSQL(OnAspiresPostgreSQL.Published published) : EveryManifest(published), IClassFixture<OnAspiresPostgreSQL.Published>
    {
        [Fact]
        public void The_database_is_Aspires_PostgreSQL_database_on_its_server()
        {
            Assert.Equal("container.v0", (string?)published.Resources[ResourceNames.Postgres]?["type"]);
            Assert.Equal($"{{{ResourceNames.Postgres}.connectionString}};Database={ResourceNames.Database}",
                (string?)published.Resources[ResourceNames.Database]?["connectionString"]);
        }

        [Fact]
        public void The_worker_runs_the_migrations_built_into_it() =>
            Assert.DoesNotContain(Environment(published.Resources, ResourceNames.Migrations), v => v.Key.StartsWith("Migrations__", StringComparison.Ordinal));

        [Fact]
        public void The_services_connect_as_the_service_role() =>
            Assert.Contains($"Username={ServiceRole.Name}", (string?)published.Resources[$"{ResourceNames.Database}-service"]?["connectionString"], StringComparison.Ordinal);

        public sealed class Published() : PublishedManifest();
    }

    /// <summary><c>DevLauncher:Postgres:Mode=existing</c>: connection strings the deployment fills in.</summary>
    public sealed class OnAnExistingServer(OnAnExistingServer.Published published) : EveryManifest(published), IClassFixture<OnAnExistingServer.Published>
    {
        [Fact]
        public void There_is_no_server_and_both_connection_strings_are_parameters()
        {
            Assert.Null(published.Resources[ResourceNames.Postgres]);
            Assert.Equal("parameter.v0", (string?)published.Resources[ResourceNames.Database]?["type"]);
            Assert.Equal("parameter.v0", (string?)published.Resources[$"{ResourceNames.Database}-service"]?["type"]);
        }

        public sealed class Published() : PublishedManifest($"--{PostgresSettings.ModeKey}=existing");
    }

    /// <summary>What holds for the manifest in every mode.</summary>
    public abstract class EveryManifest(PublishedManifest published)
    {
        [Fact]
        public void Every_reference_resolves() => Assert.Empty(Unresolved(published.Resources));

        [Fact]
        public void No_value_is_a_path_of_this_machine() => Assert.Empty(MachinePaths(published.Resources));
    }

    /// <summary>The AppHost run once with the manifest publisher, as the README's run command runs it.</summary>
    public abstract class PublishedManifest(params string[] arguments) : IAsyncLifetime
    {
        private readonly TemporaryFolder _folder = TemporaryFolder.Named("devlauncher-manifest");

        public JsonObject Resources { get; private set; } = [];

        public async ValueTask InitializeAsync()
        {
            Directory.CreateDirectory(_folder.Path);
            var path = Path.Combine(_folder.Path, "manifest.json");
            await using var apphost = AppHostProcess.Start(new Dictionary<string, string>(),
                ["--publisher", "manifest", "--output-path", path, "--ConnectionStrings:appdb=", .. arguments]);
            Assert.True(await apphost.WaitForExitAsync(Timeout, TestContext.Current.CancellationToken), apphost.Output);
            Assert.True(apphost.ExitCode == 0, apphost.Output);
            Resources = JsonNode.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken))!["resources"]!.AsObject();
        }

        public ValueTask DisposeAsync()
        {
            _folder.Dispose();
            GC.SuppressFinalize(this);
            return ValueTask.CompletedTask;
        }
    }

    private static IEnumerable<string> Unresolved(JsonObject resources) =>
        Values(resources).SelectMany(v => Reference().Matches(v).Select(m => m.Groups[1].Value)).Where(name => resources[name] is null).Distinct();

    /// <summary>Values that start with the checkout's folder, the temporary folder or the home folder of this machine.</summary>
    private static IEnumerable<string> MachinePaths(JsonObject resources)
    {
        string[] folders = [AspireCli.CheckoutRoot, Path.GetTempPath(), System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile)];
        return Values(resources).Where(v => folders.Any(f => v.StartsWith(f, StringComparison.Ordinal)));
    }

    private static JsonObject Environment(JsonObject resources, string resource) =>
        resources[resource]?["env"]?.AsObject() ?? [];

    private static IEnumerable<string> Values(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Values(p.Value)),
        JsonArray a => a.SelectMany(Values),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    [GeneratedRegex(@"\{([A-Za-z0-9-]+)\.")]
    private static partial Regex Reference();
}
