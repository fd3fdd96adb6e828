using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DevLauncher.SchemaLoop;
using DevLauncher.Tests.Infrastructure;
using DevLauncher.Tests.SchemaLoop;

namespace DevLauncher.Tests.Distributed;

/// <summary>
/// The three services as the AppHost runs them, on a branch database with rows, while the schema loop works on it:
/// Apply (the Undo snapshot's copy, then the worker), Undo and Reset (two renames) and a Preview's copy all end the
/// services' sessions, and Undo and Reset leave the name without a database for an instant.
/// </summary>
public sealed class ServicesDuringTheLoopTests(PostgresFixture postgres)
{
    /// <summary>Each operation this many times: a window of a few milliseconds is met by chance, not every time.</summary>
    private const int Repeats = 10;

    private static readonly string[] Operations = ["apply", "undo", "reset", "preview"];

    [Fact]
    public async Task Every_health_probe_answers_200_and_no_API_call_answers_500_through_apply_undo_reset_and_preview()
    {
        await using var loop = new LoopServer(postgres);
        using var folder = AppMigrations();
        var database = await BranchDatabaseAsync(loop, folder);
        var connectionString = postgres.AsServiceRole(loop.ConnectionString(database));
        await using var auth = await ReadyAsync(ServiceProcess.StartAuth(connectionString));
        await using var backend = await ReadyAsync(ServiceProcess.StartBackend(connectionString, auth));
        await using var frontend = await ReadyAsync(ServiceProcess.StartFrontend(connectionString, auth, backend));
        var token = await SignedUpWithRowsAsync(loop, database, auth, backend);
        var operations = new LoopOperations(loop, folder, database, await LoopOperations.TemplateOfAsync(loop, database));

        var answers = await ProbedThroughAsync(Requests(token, auth, backend, frontend), operations);

        Report(answers);
        Assert.All(Operations, operation => Assert.Contains(answers, a => a.Operation == operation));
        var failed = answers.Where(a => !a.Passes).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {answers.Count} probes failed:\n{string.Join('\n', failed.Take(20))}\n{GateLines(auth, backend, frontend)}");
    }

    private static async Task<IReadOnlyList<ProbeAnswer>> ProbedThroughAsync(
        IReadOnlyList<(string, Func<HttpRequestMessage>)> requests, LoopOperations operations)
    {
        await using var probes = new Probes(requests);
        for (var i = 0; i < Repeats; i++)
        {
            await probes.DuringAsync("apply", operations.ApplyAsync);
            await probes.DuringAsync("undo", operations.UndoAsync);
            await probes.DuringAsync("reset", operations.ResetAsync);
            await probes.DuringAsync("preview", operations.PreviewCopyAsync);
        }

        var answers = await probes.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"Longest operations: {string.Join(", ", probes.LongestOperations)}");
        return answers;
    }

    /// <summary>Each service's /health, and one API call of each that reads the database, signed in.</summary>
    private static IReadOnlyList<(string, Func<HttpRequestMessage>)> Requests(string token, ServiceProcess auth, ServiceProcess backend, ServiceProcess frontend) =>
    [
        ("auth /health", () => new HttpRequestMessage(HttpMethod.Get, new Uri(auth.BaseAddress, "/health"))),
        ("backend /health", () => new HttpRequestMessage(HttpMethod.Get, new Uri(backend.BaseAddress, "/health"))),
        ("frontend /health", () => new HttpRequestMessage(HttpMethod.Get, new Uri(frontend.BaseAddress, "/health"))),
        ("auth GET /sessions/current", () => Bearer(new Uri(auth.BaseAddress, "/sessions/current"), token)),
        ("backend GET /threads", () => Bearer(new Uri(backend.BaseAddress, "/threads"), token)),
        ("frontend GET /", () => new HttpRequestMessage(HttpMethod.Get, frontend.BaseAddress) { Headers = { { "Cookie", $"devlauncher_session={token}" } } }),
    ];

    private static HttpRequestMessage Bearer(Uri uri, string token) =>
        new(HttpMethod.Get, uri) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    /// <summary>The app's migrations, in a folder Apply adds to.</summary>
    private static MigrationFolder AppMigrations()
    {
        var folder = new MigrationFolder();
        foreach (var script in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "services/Migrations/Scripts"), "*.sql"))
        {
            folder.Write(Path.GetFileName(script), File.ReadAllText(script));
        }

        return folder;
    }

    private static async Task<string> BranchDatabaseAsync(LoopServer loop, MigrationFolder folder)
    {
        var database = DevDatabaseNames.ForBranch(loop.BaseName, "main");
        await new BranchDatabases(loop.Server, loop.BaseName, loop.Time).EnsureAsync(database, new GitHead("main", null), [], CancellationToken.None);
        await loop.MigrateAsync(database, folder);
        return database;
    }

    private static async Task<ServiceProcess> ReadyAsync(ServiceProcess service)
    {
        var health = await service.EventuallyAnswersAsync("/health", HttpStatusCode.OK);
        Assert.True(health.Status == HttpStatusCode.OK, health.Body);
        return service;
    }

    /// <summary>A user signed in through auth, a thread made through the backend, and many messages in it; returns the token.</summary>
    private static async Task<string> SignedUpWithRowsAsync(LoopServer loop, string database, ServiceProcess auth, ServiceProcess backend)
    {
        var credentials = new { email = "loop@devlauncher.dev", password = "loop-probes-password" };
        using var registered = await auth.Http.PostAsJsonAsync("/users", credentials);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var signedIn = await auth.Http.PostAsJsonAsync("/sessions", credentials);
        var token = (await signedIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var thread = new HttpRequestMessage(HttpMethod.Post, "/threads") { Content = JsonContent.Create(new { title = "loop" }) };
        thread.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var created = await backend.Http.SendAsync(thread);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await loop.ExecuteAsync(database,
            "INSERT INTO app.messages (thread_id, author_id, body) SELECT id, owner_id, 'message ' || g FROM app.threads, generate_series(1, 20000) g");
        return token;
    }

    /// <summary>What each service's schema gate said, with its waits for the database when its log shows Debug.</summary>
    private static string GateLines(params ServiceProcess[] services) => string.Join('\n', services.SelectMany(service =>
        service.Process.Output.Split('\n').Where(l => l.Contains("gate", StringComparison.Ordinal) || l.Contains("away", StringComparison.Ordinal))
            .TakeLast(15).Select(l => $"{service.BaseAddress.Port}: {l}")));

    /// <summary>The answers by operation, probe and status, in the test's output.</summary>
    private static void Report(IReadOnlyList<ProbeAnswer> answers)
    {
        foreach (var group in answers.GroupBy(a => (a.Operation, a.Target, a.Status, a.RetryAfter)).OrderBy(g => g.Key.Target).ThenBy(g => g.Key.Operation))
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{group.Key.Target} during {group.Key.Operation}: {(int?)group.Key.Status} {(group.Key.RetryAfter ? "Retry-After " : "")}x{group.Count()}");
        }
    }
}
