using System.Net;
using System.Net.Http.Json;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Distributed;

/// <summary>
/// A request whose pooled session the schema loop ended (Apply's snapshot, Undo, Reset and a Preview's copy all end the
/// database's sessions) is run again on a new session by <c>UseSchemaGate</c>, its body read again: it is answered, not
/// refused with a 503.
/// </summary>
public sealed class DatabaseWindowRetryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_post_whose_pooled_session_was_ended_is_run_again_and_answered()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        // The gate keeps its open answer, so the request's own statement is the first to meet the ended session.
        await using var auth = ServiceProcess.StartAuth(database, new Dictionary<string, string?> { ["SchemaGate__PollInterval"] = "00:01:00" });
        Assert.Equal(HttpStatusCode.OK, (await auth.EventuallyAnswersAsync("/health", HttpStatusCode.OK)).Status);
        using var first = await auth.Http.PostAsJsonAsync("/users", new { email = "first@devlauncher.dev", password = "window-retry-password" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var ended = await EndSessionsAsync(database);
        using var second = await auth.Http.PostAsJsonAsync("/users", new { email = "second@devlauncher.dev", password = "window-retry-password" });

        Assert.True(ended > 0, "the service had no session to end");
        Assert.True(second.StatusCode == HttpStatusCode.Created, $"{(int)second.StatusCode}: {await second.Content.ReadAsStringAsync()}");
    }

    /// <summary>What the loop does to the database's sessions: <c>pg_terminate_backend</c>, as DROP and CREATE ... TEMPLATE's FORCE do.</summary>
    private static Task<long> EndSessionsAsync(string database) =>
        Sql.ScalarAsync<long>(database,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
}
