using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The AppHost as Aspire runs it, shaped like Aspire's xunit template. The model test needs no orchestrator; the
/// others need nuget.org (to restore) and a container runtime.
/// </summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] Services = ["auth", "backend", "frontend"];

    // Secret parameters would otherwise wait for a value from the dashboard.
    private static string[] Arguments(params string[] extra) =>
        ["--Parameters:service-password=apphost-tests-service-password", "--Parameters:postgres-password=apphost-tests-postgres-password", .. extra];

    [Fact]
    public async Task The_model_has_postgres_the_database_the_worker_and_three_services_that_wait_for_the_worker()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.DevLauncher_AppHost>(Arguments(), cancellationToken);

        var resources = appHost.Resources.ToDictionary(r => r.Name);
        Assert.Superset(new HashSet<string>(["postgres", "appdb", "migrations", .. Services]), resources.Keys.ToHashSet());
        var migrations = resources["migrations"];
        foreach (var name in Services)
        {
            var waits = resources[name].Annotations.OfType<WaitAnnotation>().ToList();
            Assert.Contains(waits, w => w.Resource == migrations && w.WaitType == WaitType.WaitForCompletion && w.ExitCode == 0);
        }

        Assert.Contains(migrations.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "appdb" && w.WaitType == WaitType.WaitUntilHealthy);
    }

    [Fact]
    public async Task Everything_starts_the_worker_finishes_with_0_the_services_are_healthy_and_each_migration_is_applied_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = await StartAsync(Arguments(), cancellationToken);

        var finished = await app.ResourceNotifications.WaitForResourceAsync("migrations", e => e.Snapshot.State?.Text == KnownResourceStates.Finished, cancellationToken)
            .WaitAsync(StartTimeout, cancellationToken);
        Assert.Equal(0, finished.Snapshot.ExitCode);
        foreach (var name in Services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        }

        await AssertEachMigrationOnceAsync(app, cancellationToken);
    }

    [Fact]
    public async Task Four_workers_at_once_apply_the_schema_once_and_every_service_comes_up()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // WaitForCompletion waits for every replica of the worker to finish with exit code 0.
        await using var app = await StartAsync(Arguments("--DevLauncher:MigrationReplicas=4"), cancellationToken);

        foreach (var name in Services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        }

        await AssertEachMigrationOnceAsync(app, cancellationToken);
    }

    [Fact]
    public async Task Sign_up_sign_in_post_and_read_through_the_backend_and_the_frontend()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = await StartAsync(Arguments(), cancellationToken);
        foreach (var name in Services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        }

        using var authClient = app.CreateHttpClient("auth");
        using var backendClient = app.CreateHttpClient("backend");
        using var frontendClient = app.CreateHttpClient("frontend");
        var email = $"apphost-{Guid.NewGuid():N}@example.com";
        (await authClient.PostAsJsonAsync("/users", new { email, password = "correct horse battery" }, cancellationToken)).EnsureSuccessStatusCode();
        using var session = await authClient.PostAsJsonAsync("/sessions", new { email, password = "correct horse battery" }, cancellationToken);
        var token = (await session.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("token").GetString()!;
        backendClient.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var thread = await backendClient.PostAsJsonAsync("/threads", new { title = "From the AppHost test" }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, thread.StatusCode);
        var threadId = (await thread.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetInt64();
        using var message = await backendClient.PostAsJsonAsync($"/threads/{threadId}/messages", new { body = "hello from Aspire" }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, message.StatusCode);

        frontendClient.DefaultRequestHeaders.Add("Cookie", $"devlauncher_session={token}");
        var page = await frontendClient.GetStringAsync($"/threads/{threadId}", cancellationToken);
        Assert.Contains("hello from Aspire", page, StringComparison.Ordinal);
    }

    private static async Task<DistributedApplication> StartAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.DevLauncher_AppHost>(arguments, cancellationToken);
        appHost.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        var app = await appHost.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        return app;
    }

    private static async Task AssertEachMigrationOnceAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var connectionString = await app.GetConnectionStringAsync("appdb", cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(*), count(DISTINCT version), max(version) FROM devlauncher.schema_history", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Assert.True(await reader.ReadAsync(cancellationToken));
        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        Assert.Equal(reader.GetInt64(2), reader.GetInt64(0));
    }
}
