using System.Net;
using System.Text.Json;
using DevLauncher.Contracts;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Distributed;

/// <summary>
/// A service whose database is behind its schema is not ready, says why, and becomes ready by itself once the database
/// catches up; a ready service closes again when the database goes back (the AppHost's Undo and Reset).
/// </summary>
public sealed class SchemaGateTests(PostgresFixture postgres)
{
    private const long BackendNeeds = 6;

    [Fact]
    public async Task A_service_on_a_database_behind_its_schema_answers_503_with_the_reason_until_the_worker_runs()
    {
        var database = await MigratedUpToAsync(2);
        await using var backend = ServiceProcess.StartBackend(database);

        var health = await backend.EventuallyAnswersAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.True(health.Body.Contains(SchemaGateReason.Versions(BackendNeeds, 2), StringComparison.Ordinal), health.Body);
        Assert.Equal(SchemaGateReason.Versions(BackendNeeds, 2), await RefusalAsync(backend));

        Assert.Equal(0, (await InProcessWorker.RunAsync(database, servicePassword: postgres.ServicePassword)).ExitCode);

        var healthy = await backend.EventuallyAnswersAsync("/health", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, healthy.Status);
        Assert.False(backend.Process.HasExited, "the service restarted instead of noticing the schema");
        using var unauthenticated = await backend.Http.GetAsync("/threads");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task A_closed_gate_opens_at_the_first_request_after_the_schema_arrives()
    {
        var database = await MigratedUpToAsync(BackendNeeds - 1);
        // A poll interval longer than the test: only an answer kept while closed could make /health wait for it.
        await using var backend = ServiceProcess.StartBackend(database, new Dictionary<string, string?> { ["SchemaGate__PollInterval"] = "00:01:00" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await backend.EventuallyAnswersAsync("/health")).Status);

        // What Apply migrations (or the swap of a reset) gives back: the newest history row.
        Assert.Equal(0, (await InProcessWorker.RunAsync(database, servicePassword: postgres.ServicePassword)).ExitCode);

        using var health = await backend.Http.GetAsync("/health");
        Assert.True(health.StatusCode == HttpStatusCode.OK, await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_ready_service_answers_503_with_the_reason_once_the_history_loses_the_version_it_needs()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var backend = await StartReadyBackendAsync(database);

        await GoBackToAsync(database, BackendNeeds - 1);

        var health = await backend.EventuallyAnswersAsync("/health", HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.True(health.Body.Contains(SchemaGateReason.Versions(BackendNeeds, BackendNeeds - 1), StringComparison.Ordinal), health.Body);
        Assert.Equal(SchemaGateReason.Versions(BackendNeeds, BackendNeeds - 1), await RefusalAsync(backend));
    }

    [Fact]
    public async Task A_ready_services_first_health_check_after_a_database_swap_is_healthy()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var backend = await StartReadyBackendAsync(database);

        await postgres.SwapDatabaseAsync(database);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the gate's poll interval: the next /health asks the database

        // The gate's pooled session was ended by the swap; asking again on a new one finds the schema there.
        using var health = await backend.Http.GetAsync("/health");
        Assert.True(health.StatusCode == HttpStatusCode.OK, await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_ready_service_keeps_its_gates_answer_for_the_poll_interval()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var backend = await StartReadyBackendAsync(database, new Dictionary<string, string?> { ["SchemaGate__PollInterval"] = "00:01:00" });

        await GoBackToAsync(database, BackendNeeds - 1);

        // The gate asked when /health was first answered, so it does not ask again for a minute: no query per request.
        for (var i = 0; i < 5; i++)
        {
            using var health = await backend.Http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_service_logs_why_its_schema_gate_closed()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var backend = await StartReadyBackendAsync(database);

        await GoBackToAsync(database, BackendNeeds - 1);
        await backend.EventuallyAnswersAsync("/health", HttpStatusCode.ServiceUnavailable);

        Assert.Contains($"Schema gate closed: {SchemaGateReason.Versions(BackendNeeds, BackendNeeds - 1)}", backend.Process.Output, StringComparison.Ordinal);
    }

    private static async Task<ServiceProcess> StartReadyBackendAsync(string database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var backend = ServiceProcess.StartBackend(database, settings);
        var health = await backend.EventuallyAnswersAsync("/health", HttpStatusCode.OK);
        Assert.True(health.Status == HttpStatusCode.OK, health.Body);
        return backend;
    }

    /// <summary>A new database with the app's first <paramref name="version"/> migrations applied.</summary>
    private async Task<string> MigratedUpToAsync(long version)
    {
        var database = await postgres.CreateDatabaseAsync();
        using var first = new MigrationFolder();
        var scripts = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "services/Migrations/Scripts"), "*.sql").Order().Take((int)version).ToList();
        Assert.Equal(version, long.Parse(Path.GetFileName(scripts[^1])[..4], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var script in scripts)
        {
            first.Write(Path.GetFileName(script), File.ReadAllText(script));
        }

        Assert.Equal(0, (await InProcessWorker.RunAsync(database, first.Path)).ExitCode);
        return database;
    }

    /// <summary>What "Undo last migration" leaves to the gate: a history whose newest row is <paramref name="version"/>.</summary>
    private static Task GoBackToAsync(string database, long version) =>
        Sql.ExecuteAsync(database, $"DELETE FROM {SchemaHistory.Table} WHERE version > {version}");

    /// <summary>The gate's answer to an API request: a 503 that says when to try again; returns its reason.</summary>
    private static async Task<string?> RefusalAsync(ServiceProcess service)
    {
        using var response = await service.Http.GetAsync("/threads");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
    }
}
