using System.Diagnostics;
using System.Text.Json;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// Faults while the system is under load, each on an app of its own (a class fixture runs the fault once, its tests
/// read what the clients got): nothing acknowledged is lost, failures are 503s with a reason (never a 500 or a request
/// left without an answer), and the services heal without being restarted.
/// </summary>
public static class FaultTests
{
    private const int Clients = 8;

    /// <summary>PostgreSQL stopped and started again while eight clients post messages.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class APostgresRestart(APostgresRestart.Fault fault) : IClassFixture<APostgresRestart.Fault>
    {
        [Fact]
        public void Every_answer_is_a_201_or_a_503() => AssertOnlySuccessOr503(fault.Outcomes, HttpStatusCode.Created);

        [Fact]
        public void Every_503_says_the_database_is_down() => AssertEvery503Says(fault.Outcomes, "database|auth service");

        [Fact]
        public void Messages_are_stored_again_once_postgres_is_back() =>
            Assert.True(fault.Recovered, $"No message was stored after PostgreSQL was back: {Describe(fault.Outcomes)}");

        [Fact]
        public void No_acknowledged_message_is_lost() =>
            Assert.Empty(Acknowledged(fault.Outcomes).Except(fault.Stored));

        [Fact]
        public void The_services_are_not_restarted() =>
            Assert.Equal(fault.ServicePids, fault.ServicePidsAfter);

        public sealed class Fault : AppScenario
        {
            public IReadOnlyList<Outcome> Outcomes { get; private set; } = [];

            public bool Recovered { get; private set; }

            public IReadOnlyList<int> ServicePids { get; private set; } = [];

            public IReadOnlyList<int> ServicePidsAfter { get; private set; } = [];

            public long[] Stored { get; private set; } = [];

            protected override async Task RunAsync(CancellationToken cancellationToken)
            {
                // Local: the server restarts on its own data folder. A session container would come back empty.
                using var user = await SignedInUser.StartAsync(Own(await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken)), cancellationToken);
                var thread = await user.Api.CreateThreadAsync(user.Token, "under load");
                ServicePids = await AppResources.ServicePidsAsync(App, cancellationToken);
                var postgresPid = await AppResources.PidOfAsync(App, ResourceNames.Postgres, cancellationToken);

                (Outcomes, Recovered) = await UnderLoadAsync(
                    (c, i) => user.Api.PostMessageAsync(user.Token, thread, $"client {c} message {i}"), HttpStatusCode.Created,
                    () => AppResources.ExecuteCommandAsync(App, ResourceNames.Postgres, KnownResourceCommands.StopCommand, cancellationToken),
                    () => RestartedAsync(App, ResourceNames.Postgres, postgresPid, KnownResourceCommands.StartCommand, cancellationToken),
                    cancellationToken);
                ServicePidsAfter = await AppResources.ServicePidsAsync(App, cancellationToken);
                Stored = await Sql.ScalarAsync<long[]>(user.Endpoints.Database, $"SELECT coalesce(array_agg(id), '{{}}') FROM app.messages WHERE thread_id = {thread}", cancellationToken);
            }
        }
    }

    /// <summary>auth killed (SIGKILL) while eight clients list their threads through the backend, then restarted.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class AuthKilled(AuthKilled.Fault fault) : IClassFixture<AuthKilled.Fault>
    {
        [Fact]
        public void Every_answer_is_a_200_or_a_503() => AssertOnlySuccessOr503(fault.Outcomes, HttpStatusCode.OK);

        [Fact]
        public void Every_503_says_auth_is_down() => AssertEvery503Says(fault.Outcomes, "auth");

        [Fact]
        public void The_backend_answers_again_once_auth_is_restarted() =>
            Assert.True(fault.Recovered, $"The backend did not answer 200 after auth was back: {Describe(fault.Outcomes)}");

        [Fact]
        public void The_backend_is_not_restarted() =>
            Assert.Equal(fault.BackendPid, fault.BackendPidAfter);

        public sealed class Fault : AppScenario
        {
            public IReadOnlyList<Outcome> Outcomes { get; private set; } = [];

            public bool Recovered { get; private set; }

            public int BackendPid { get; private set; }

            public int BackendPidAfter { get; private set; }

            protected override async Task RunAsync(CancellationToken cancellationToken)
            {
                using var user = await SignedInUser.StartAsync(Own(await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken)), cancellationToken);
                await user.Api.CreateThreadAsync(user.Token, "auth outage");
                BackendPid = await AppResources.PidOfAsync(App, ResourceNames.Backend, cancellationToken);
                var authPid = await AppResources.PidOfAsync(App, ResourceNames.Auth, cancellationToken);

                (Outcomes, Recovered) = await UnderLoadAsync(
                    (_, _) => user.Api.SendAsync(HttpMethod.Get, $"{user.Endpoints.Backend}/threads", user.Token), HttpStatusCode.OK,
                    () => KillAsync(App, ResourceNames.Auth, authPid, cancellationToken),
                    // Restart is what the dashboard offers for a service; on one that has exited it starts it.
                    () => RestartedAsync(App, ResourceNames.Auth, authPid, KnownResourceCommands.RestartCommand, cancellationToken),
                    cancellationToken);
                BackendPidAfter = await AppResources.PidOfAsync(App, ResourceNames.Backend, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Load until it succeeds, the fault until the clients get 503s, the repair until a request succeeds again; then every
    /// outcome, and whether that last success came.
    /// </summary>
    private static async Task<(IReadOnlyList<Outcome> Outcomes, bool Recovered)> UnderLoadAsync(Func<int, int, Task<HttpResponseMessage>> send,
        HttpStatusCode success, Func<Task> fault, Func<Task> repair, CancellationToken cancellationToken)
    {
        await using var load = LoadClients.Start(Clients, send, cancellationToken);
        Assert.True(await load.WaitForAsync(DateTime.MinValue, o => o.Status == success, cancellationToken), Describe(load.Outcomes));
        var faultAt = DateTime.UtcNow;
        await fault();
        Assert.True(await load.WaitForAsync(faultAt, o => o.Status == HttpStatusCode.ServiceUnavailable, cancellationToken), Describe(load.Outcomes));
        await repair();
        var recovered = await load.WaitForAsync(DateTime.UtcNow, o => o.Status == success, cancellationToken);
        var outcomes = await load.StopAsync();
        return (outcomes, recovered);
    }

    /// <param name="stoppedPid">The process the fault ended; the wait for health starts once another one runs.</param>
    private static async Task RestartedAsync(DistributedApplication app, string resourceName, int stoppedPid, string command, CancellationToken cancellationToken)
    {
        await AppResources.ExecuteCommandAsync(app, resourceName, command, cancellationToken);
        await AppResources.WaitForNewProcessHealthyAsync(app, resourceName, stoppedPid, cancellationToken);
    }

    /// <summary>SIGKILL to the resource's process and what it started, as a crash or the OOM killer would; DCP sees it exit.</summary>
    private static async Task KillAsync(DistributedApplication app, string resourceName, int pid, CancellationToken cancellationToken)
    {
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true);
        }

        await AppResources.WaitForExitAsync(app, resourceName, cancellationToken);
    }

    /// <summary>Every answer is the expected success or a 503: never a 500, never no answer.</summary>
    private static void AssertOnlySuccessOr503(IReadOnlyList<Outcome> outcomes, HttpStatusCode success)
    {
        var unexpected = outcomes.Where(o => o.Status != success && o.Status != HttpStatusCode.ServiceUnavailable).ToList();
        Assert.True(unexpected.Count == 0, $"Unexpected answers: {Describe(unexpected)}");
    }

    /// <summary>There was an outage, and each 503's body says which dependency is down.</summary>
    private static void AssertEvery503Says(IReadOnlyList<Outcome> outcomes, string reasonPattern)
    {
        var outage = outcomes.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(outage);
        Assert.All(outage, o => Assert.Matches(reasonPattern, o.Body));
    }

    private static IEnumerable<long> Acknowledged(IEnumerable<Outcome> outcomes) =>
        outcomes.Where(o => o.Status == HttpStatusCode.Created).Select(o => JsonDocument.Parse(o.Body).RootElement.GetProperty("id").GetInt64());

    private static string Describe(IEnumerable<Outcome> outcomes) =>
        string.Join(" | ", outcomes.GroupBy(o => o.Status).Select(g => $"{(int?)g.Key}: {g.Count()}, e.g. {g.First().Body} ({g.First().Took.TotalSeconds:0.0} s)"));

    /// <summary>The app started with its services healthy, and one user signed up and in through auth.</summary>
    private sealed record SignedInUser(DistributedApplication App, AppEndpoints Endpoints, ApiClient Api, string Token) : IDisposable
    {
        public static async Task<SignedInUser> StartAsync(TestAppHost host, CancellationToken cancellationToken)
        {
            var app = await host.StartAsync(cancellationToken);
            await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
            var endpoints = await AppEndpoints.OfAsync(app, cancellationToken);
            var api = new ApiClient(endpoints, cancellationToken);
            return new SignedInUser(app, endpoints, api, await api.SignUpAndInAsync(ApiClient.NewEmail()));
        }

        public void Dispose() => Api.Dispose();
    }
}
