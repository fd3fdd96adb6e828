using System.Diagnostics;
using System.Text.Json;
using Aspire.Hosting;
using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// Faults while the system is under load, each on an app of its own: nothing acknowledged is lost, failures are 503s
/// with a reason (never a 500 or a request left without an answer), and the services heal without being restarted.
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class FaultTests
{
    private const int Clients = 8;

    [Fact]
    public async Task A_postgres_restart_under_load_fails_requests_with_503_and_loses_no_acknowledged_message()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // Local: the server restarts on its own data folder. A session container would come back empty.
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken);
        using var user = await SignedInUser.StartAsync(host, cancellationToken);
        var thread = await user.Api.CreateThreadAsync(user.Token, "under load");
        var servicePids = await AppResources.ServicePidsAsync(user.App, cancellationToken);
        var postgresPid = await AppResources.PidOfAsync(user.App, ResourceNames.Postgres, cancellationToken);

        var (outcomes, recovered) = await UnderLoadAsync(
            (c, i) => user.Api.PostMessageAsync(user.Token, thread, $"client {c} message {i}"), HttpStatusCode.Created,
            () => AppResources.ExecuteCommandAsync(user.App, ResourceNames.Postgres, KnownResourceCommands.StopCommand, cancellationToken),
            () => RestartedAsync(user.App, ResourceNames.Postgres, postgresPid, KnownResourceCommands.StartCommand, cancellationToken),
            cancellationToken);

        AssertOnly503sWithAReason(outcomes, HttpStatusCode.Created, "database|auth service");
        Assert.True(recovered, $"No message was stored after PostgreSQL was back: {Describe(outcomes)}");
        Assert.Equal(servicePids, await AppResources.ServicePidsAsync(user.App, cancellationToken));
        var stored = await Sql.ScalarAsync<long[]>(user.Endpoints.Database,
            $"SELECT coalesce(array_agg(id), '{{}}') FROM app.messages WHERE thread_id = {thread}", cancellationToken);
        Assert.Empty(Acknowledged(outcomes).Except(stored));
    }

    [Fact]
    public async Task Auth_killed_under_load_makes_the_backend_answer_503_with_a_reason_until_auth_is_restarted()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken);
        using var user = await SignedInUser.StartAsync(host, cancellationToken);
        await user.Api.CreateThreadAsync(user.Token, "auth outage");
        var backendPid = await AppResources.PidOfAsync(user.App, ResourceNames.Backend, cancellationToken);
        var authPid = await AppResources.PidOfAsync(user.App, ResourceNames.Auth, cancellationToken);

        var (outcomes, recovered) = await UnderLoadAsync(
            (_, _) => user.Api.SendAsync(HttpMethod.Get, $"{user.Endpoints.Backend}/threads", user.Token), HttpStatusCode.OK,
            () => KillAsync(user.App, ResourceNames.Auth, authPid, cancellationToken),
            // Restart is what the dashboard offers for a service; on one that has exited it starts it.
            () => RestartedAsync(user.App, ResourceNames.Auth, authPid, KnownResourceCommands.RestartCommand, cancellationToken),
            cancellationToken);

        AssertOnly503sWithAReason(outcomes, HttpStatusCode.OK, "auth");
        Assert.True(recovered, $"The backend did not answer 200 after auth was back: {Describe(outcomes)}");
        Assert.Equal(backendPid, await AppResources.PidOfAsync(user.App, ResourceNames.Backend, cancellationToken));
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

    /// <summary>Every answer is the expected success or a 503 whose body says which dependency is down, and at least one 503.</summary>
    private static void AssertOnly503sWithAReason(IReadOnlyList<Outcome> outcomes, HttpStatusCode success, string reasonPattern)
    {
        var unexpected = outcomes.Where(o => o.Status != success && o.Status != HttpStatusCode.ServiceUnavailable).ToList();
        Assert.True(unexpected.Count == 0, $"Unexpected answers: {Describe(unexpected)}");
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
