using System.Net;
using DevLauncher.Tests.Distributed;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Reliability;

[Collection(ReliabilityTests.Name)]
public sealed class ConcurrentSignUpTests(SharedSystemFixture system) : IClassFixture<SharedSystemFixture>
{
    [Fact]
    public async Task Two_hundred_concurrent_sign_ups_for_fifty_emails_make_exactly_fifty_users_and_the_rest_409()
    {
        using var api = new ApiClient(system.Ready);
        var run = Guid.NewGuid().ToString("N")[..8];
        var emails = Enumerable.Range(0, 50).Select(i => $"race-{run}-{i}@example.com").ToList();
        // Four attempts per email, in different letter cases: uniqueness must hold case-insensitively too.
        var attempts = emails.SelectMany(e => new[] { e, e.ToUpperInvariant(), e, char.ToUpperInvariant(e[0]) + e[1..] }).ToList();

        using var start = new ManualResetEventSlim();
        var requests = attempts.Select(email => Task.Run(async () =>
        {
            start.Wait();
            using var response = await api.RegisterAsync(email, "correct horse battery");
            return response.StatusCode;
        })).ToList();
        start.Set();
        var statuses = await Task.WhenAll(requests);

        var answers = string.Join(", ", statuses.GroupBy(s => (int)s).Select(g => $"{g.Key}: {g.Count()}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.Created) == 50, answers);
        Assert.True(statuses.Count(s => s == HttpStatusCode.Conflict) == 150, answers);
        Assert.Equal(50L, await Catalog.ScalarAsync<long>(system.Ready.Database, $"SELECT count(*) FROM auth.users WHERE email LIKE 'race-{run}-%'"));
    }
}
