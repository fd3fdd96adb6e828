using System.Net;
using System.Text.Json;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Distributed;

/// <summary>A service started before the worker has run is not ready, says why, and becomes ready by itself.</summary>
[Trait("Requires", "Processes")]
public sealed class SchemaGateTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_service_on_a_database_behind_its_schema_answers_503_with_the_reason_until_the_worker_runs()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var firstTwo = new MigrationFolder();
        var scripts = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "services/Migrations/Scripts"), "*.sql").Order().Take(2).ToList();
        Assert.Equal(["0001_create_schemas.sql", "0002_auth_users.sql"], scripts.Select(Path.GetFileName));
        foreach (var script in scripts)
        {
            firstTwo.Write(Path.GetFileName(script), File.ReadAllText(script));
        }

        Assert.Equal(0, (await InProcessWorker.RunAsync(database, firstTwo.Path)).ExitCode);
        var port = FreePort.Next();
        await using var backend = ChildProcess.StartDotnet(RepositoryPaths.ProjectDll("services/Backend", "DevLauncher.Backend"),
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__appdb"] = database,
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["services__auth__http__0"] = "http://127.0.0.1:1",
            });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var health = await EventuallyAnswersAsync(http, "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.True(health.Body.Contains("needs schema 0006, database has 0002", StringComparison.Ordinal), health.Body);
        using (var api = await http.GetAsync("/threads"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
            var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("needs schema 0006, database has 0002", problem.GetProperty("detail").GetString());
        }

        Assert.Equal(0, (await InProcessWorker.RunAsync(database, servicePassword: postgres.ServicePassword)).ExitCode);

        var healthy = await EventuallyAnswersAsync(http, "/health", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, healthy.Status);
        Assert.False(backend.HasExited, "the service restarted instead of noticing the schema");
        using var unauthenticated = await http.GetAsync("/threads");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, string Body)> EventuallyAnswersAsync(HttpClient http, string path, HttpStatusCode? wanted = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(path);
                if (wanted is null || response.StatusCode == wanted || DateTime.UtcNow > deadline)
                {
                    return (response.StatusCode, await response.Content.ReadAsStringAsync());
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }
    }
}
