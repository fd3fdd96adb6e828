using DevLauncher.AppHost.Tests.Infrastructure;

namespace DevLauncher.AppHost.Tests;

/// <summary>Sign-ups racing for the same email: exactly one wins, whatever the letter case.</summary>
public sealed partial class RunningAppTests
{
    // Each sign-up hashes a password (PBKDF2, CPU-bound): with all 200 in flight at once on a small, busy machine, every
    // one of them waits for all the others, long enough for a client to give up. Eight in flight are two emails' four
    // attempts at once, which is the race that matters.
    private const int SignUpsInFlight = 8;

    [Fact]
    public async Task Two_hundred_concurrent_sign_ups_for_fifty_emails_make_exactly_fifty_users()
    {
        using var api = NewApiClient();
        var run = Guid.NewGuid().ToString("N")[..8];
        var emails = Enumerable.Range(0, 50).Select(i => $"race-{run}-{i}@example.com").ToList();
        // Four attempts per email, next to each other so that they run at the same time, in different letter cases:
        // uniqueness must hold case-insensitively too.
        var attempts = emails.SelectMany(e => new[] { e, e.ToUpperInvariant(), e, char.ToUpperInvariant(e[0]) + e[1..] }).ToList();

        using var inFlight = new SemaphoreSlim(SignUpsInFlight);
        var statuses = await Task.WhenAll(attempts.Select(email => SignUpAsync(api, inFlight, email)));

        var answers = string.Join(", ", statuses.GroupBy(s => (int)s).Select(g => $"{g.Key}: {g.Count()}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.Created) == 50, answers);
        Assert.True(statuses.Count(s => s == HttpStatusCode.Conflict) == 150, answers);
        Assert.Equal(50L, await Sql.ScalarAsync<long>(App.Database, $"SELECT count(*) FROM auth.users WHERE email LIKE 'race-{run}-%'", CancellationToken));
    }

    private static async Task<HttpStatusCode> SignUpAsync(ApiClient api, SemaphoreSlim inFlight, string email)
    {
        await inFlight.WaitAsync(CancellationToken);
        try
        {
            using var response = await api.RegisterAsync(email, ApiClient.Password);
            return response.StatusCode;
        }
        finally
        {
            inFlight.Release();
        }
    }
}
