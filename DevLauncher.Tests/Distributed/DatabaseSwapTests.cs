using System.Net;
using System.Net.Http.Headers;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Distributed;

/// <summary>
/// A running service whose database the AppHost swaps (Reset database, Undo last migration end every session on it and
/// put another database in its place; here DROP DATABASE ... WITH (FORCE), then a copy). Auth is the service under test because its session check is one query per request.
/// </summary>
public sealed class DatabaseSwapTests(PostgresFixture postgres)
{
    /// <summary>Well formed (43 characters of base64url), so auth looks it up, and unknown, so the answer is 401.</summary>
    private const string UnknownToken = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    /// <summary>Requests in flight at once: enough for the pool to hold several sessions when the database goes.</summary>
    private const int Concurrency = 4;

    [Fact]
    public async Task Requests_during_a_database_swap_get_503_with_Retry_After_never_500()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var auth = await StartAnsweringAuthAsync(database);

        await postgres.DropDatabaseAsync(database);
        var whileGone = await CheckSessionsAsync(auth, 2 * Concurrency);
        await postgres.RecreateMigratedDatabaseAsync(database);
        var justAfter = await CheckSessionsAsync(auth, 2 * Concurrency);

        Assert.All(whileGone, answer => Assert.Equal((HttpStatusCode.ServiceUnavailable, true), answer));
        Assert.All(justAfter, answer => Assert.True(
            answer == (HttpStatusCode.Unauthorized, false) || answer == (HttpStatusCode.ServiceUnavailable, true), $"{answer}"));
    }

    [Fact]
    public async Task A_service_answers_every_request_again_within_seconds_of_a_database_swap()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var auth = await StartAnsweringAuthAsync(database);

        await postgres.SwapDatabaseAsync(database);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await CheckSessionAsync(auth)).Status != HttpStatusCode.Unauthorized && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        // Several at once, so that a session the swap ended and the pool still held would be handed out to one of them.
        Assert.All(await CheckSessionsAsync(auth, 5 * Concurrency), answer => Assert.Equal(HttpStatusCode.Unauthorized, answer.Status));
    }

    [Fact]
    public async Task The_first_request_after_a_database_swap_is_answered_from_the_new_database()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        // The gate keeps its open answer longer than the test, so it asks nothing: the request meets the pool as the swap left it.
        await using var auth = await StartAnsweringAuthAsync(database, new Dictionary<string, string?> { ["SchemaGate__PollInterval"] = "00:01:00" });

        await postgres.SwapDatabaseAsync(database);

        Assert.Equal(HttpStatusCode.Unauthorized, (await CheckSessionAsync(auth)).Status);
    }

    /// <summary>Auth with its gate open and its pool holding several sessions, as under traffic.</summary>
    private static async Task<ServiceProcess> StartAnsweringAuthAsync(string database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var auth = ServiceProcess.StartAuth(database, settings);
        Assert.Equal(HttpStatusCode.OK, (await auth.EventuallyAnswersAsync("/health", HttpStatusCode.OK)).Status);
        Assert.All(await CheckSessionsAsync(auth, 2 * Concurrency), answer => Assert.Equal(HttpStatusCode.Unauthorized, answer.Status));
        return auth;
    }

    /// <summary><paramref name="count"/> session checks, <see cref="Concurrency"/> at a time.</summary>
    private static async Task<List<(HttpStatusCode Status, bool RetryAfter)>> CheckSessionsAsync(ServiceProcess auth, int count)
    {
        var answers = new List<(HttpStatusCode, bool)>();
        for (var sent = 0; sent < count; sent += Concurrency)
        {
            answers.AddRange(await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => CheckSessionAsync(auth))));
        }

        return answers;
    }

    /// <summary>GET /sessions/current, one query: the status, and whether it says when to try again.</summary>
    private static async Task<(HttpStatusCode Status, bool RetryAfter)> CheckSessionAsync(ServiceProcess auth)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions/current");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UnknownToken);
        using var response = await auth.Http.SendAsync(request);
        return (response.StatusCode, response.Headers.RetryAfter is not null);
    }
}
