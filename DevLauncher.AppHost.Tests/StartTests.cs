using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Migrations;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The whole app started by DCP, as F5 starts it, on a PostgreSQL of the test's own (see <see cref="TestAppHost"/>).
/// What stopping it leaves behind is <see cref="StopTests"/>'s.
/// </summary>
public static class StartTests
{
    /// <summary>One start with the dashboard, as F5 runs it.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class AStartedApp(AStartedApp.Start start) : IClassFixture<AStartedApp.Start>
    {
        [Fact]
        public void The_worker_finishes_with_exit_code_0() =>
            Assert.Equal((KnownResourceStates.Finished, (int?)0), (start.Worker.State?.Text, start.Worker.ExitCode));

        [Fact]
        public async Task Every_service_becomes_healthy() =>
            await AppResources.WaitForServicesHealthyAsync(start.App, TestContext.Current.CancellationToken);

        [Fact]
        public async Task Each_migration_is_applied_once() =>
            await AppHostAssertions.EachMigrationAppliedOnceAsync(start.App, TestContext.Current.CancellationToken);

        [Fact]
        public async Task Appdb_runs_healthy()
        {
            var appdb = await AppResources.WaitForHealthyAsync(start.App, ResourceNames.Database, TestContext.Current.CancellationToken);

            Assert.Equal(KnownResourceStates.Running, appdb.Snapshot.State?.Text);
        }

        [Fact]
        public async Task The_services_connection_cannot_run_DDL() =>
            await AppHostAssertions.ServiceRoleCannotRunDdlAsync(start.App, TestContext.Current.CancellationToken);

        [Fact]
        public async Task A_user_who_signed_up_on_the_frontend_reads_there_what_they_posted()
        {
            var cancellationToken = TestContext.Current.CancellationToken;
            using var frontend = start.App.CreateHttpClient(ResourceNames.Frontend);
            using var backend = start.App.CreateHttpClient(ResourceNames.Backend);
            backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SignUpOnTheFrontendAsync(frontend, start.Cookies));

            var threadId = await PostThroughTheBackendAsync(backend, cancellationToken);
            var page = await FrontendForms.SubmitAsync(frontend, $"/threads/{threadId}", new() { ["Body"] = "posted on the frontend" }, cancellationToken);

            Assert.Contains("posted through the backend", page, StringComparison.Ordinal);
            Assert.Contains("posted on the frontend", page, StringComparison.Ordinal);
            var messages = await backend.GetFromJsonAsync<JsonElement>($"/threads/{threadId}/messages", cancellationToken);
            Assert.Equal(["posted through the backend", "posted on the frontend"], messages.EnumerateArray().Select(m => m.GetProperty("body").GetString() ?? "").ToArray());
        }

        [Fact]
        public async Task The_workers_spans_reach_the_dashboard()
        {
            var spans = (await start.WorkerSpansAsync()).Select(s => s.Name).ToList();

            Assert.Contains("migrations.run", spans);
            Assert.Contains("migrations.lock_wait", spans);
            Assert.Contains(spans, s => s.StartsWith("migration 0001", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_fresh_run_has_no_error_span() =>
            Assert.Empty((await start.WorkerSpansAsync()).Where(s => s.IsError).Select(s => s.Name));

        /// <summary>The app with its dashboard and a browser's cookie jar for its HTTP clients, once the services are healthy.</summary>
        public sealed class Start : AppScenario
        {
            private readonly string _apiKey = Guid.NewGuid().ToString("N");

            public CookieContainer Cookies { get; } = new();

            public CustomResourceSnapshot Worker { get; private set; } = null!;

            public async Task<List<SpanSummary>> WorkerSpansAsync()
            {
                var cancellationToken = TestContext.Current.CancellationToken;
                using var dashboard = new HttpClient { BaseAddress = new Uri((await App.GetDashboardUrlAsync(cancellationToken)).GetLeftPart(UriPartial.Authority)) };
                dashboard.DefaultRequestHeaders.Add("X-API-Key", _apiKey);
                return await DashboardTelemetry.WaitForSpansAsync(dashboard, ResourceNames.Migrations, names => names.Contains("migrations.run"), AppResources.WaitTimeout, cancellationToken);
            }

            protected override async Task RunAsync(CancellationToken cancellationToken)
            {
                var host = Own(await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken, dashboard: true,
                    extra: [$"--AppHost:DashboardApiKey={_apiKey}", "--AppHost:OtlpApiKey=" + Guid.NewGuid().ToString("N")]));
                host.Builder.Services.ConfigureHttpClientDefaults(http =>
                {
                    http.AddStandardResilienceHandler();
                    // A browser's cookie jar, so the frontend's anti-forgery and session cookies come back.
                    http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { CookieContainer = Cookies });
                });
                await host.StartAsync(cancellationToken);
                Worker = await WaitForRunAsync(App, 1, cancellationToken);
                await AppResources.WaitForServicesHealthyAsync(App, cancellationToken);
            }
        }
    }

    /// <summary>The worker started as four replicas beside the services, each taking its turn on the migration lock.</summary>
    [Collection(OneAppAtATime.Name)]
    public sealed class FourWorkers(FourWorkers.Start start) : IClassFixture<FourWorkers.Start>
    {
        private const int ReplicaCount = 4;

        [Fact]
        public void Every_replica_finishes_with_exit_code_0() =>
            Assert.All(start.Replicas, e => Assert.Equal(0, e.Snapshot.ExitCode));

        [Fact]
        public void One_replica_applies_every_file() =>
            Assert.Single(start.Outcomes, $"at 0007, {ScratchMigrations.Scripts.Count} applied");

        [Fact]
        public void The_other_replicas_find_the_database_up_to_date() =>
            Assert.Equal(ReplicaCount - 1, start.Outcomes.Count(o => o == "at 0007, up to date"));

        [Fact]
        public async Task Each_migration_is_applied_once() =>
            await AppHostAssertions.EachMigrationAppliedOnceAsync(start.App, TestContext.Current.CancellationToken);

        [Fact]
        public async Task Every_service_comes_up() =>
            await AppResources.WaitForServicesHealthyAsync(start.App, TestContext.Current.CancellationToken);

        /// <summary>The app with four replicas of the worker, once each replica's run is on the dashboard.</summary>
        public sealed class Start : AppScenario
        {
            public IReadOnlyList<ResourceEvent> Replicas { get; private set; } = [];

            public IReadOnlyList<string?> Outcomes => [.. Replicas.Select(e => Property(e.Snapshot, DevLauncherProperties.Outcome)?.ToString())];

            protected override async Task RunAsync(CancellationToken cancellationToken)
            {
                var host = Own(await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken));
                host.Builder.CreateResourceBuilder((ProjectResource)host.Resource(ResourceNames.Migrations)).WithReplicas(ReplicaCount);
                await host.StartAsync(cancellationToken);
                Replicas = await ReplicasWithARunAsync(App, cancellationToken);
            }
        }

        private static async Task<List<ResourceEvent>> ReplicasWithARunAsync(DistributedApplication app, CancellationToken cancellationToken)
        {
            var replicas = new Dictionary<string, ResourceEvent>();
            using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            watch.CancelAfter(AppResources.WaitTimeout);
            await foreach (var e in app.ResourceNotifications.WatchAsync(watch.Token))
            {
                if (e.Resource.Name == ResourceNames.Migrations && MigrationProperties.RunOf(e.Snapshot) >= 1)
                {
                    replicas[e.ResourceId] = e;
                    if (replicas.Count == ReplicaCount)
                    {
                        break;
                    }
                }
            }

            return [.. replicas.Values];
        }
    }

    private static async Task<string> SignUpOnTheFrontendAsync(HttpClient frontend, CookieContainer cookies)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var email = $"apphost-{Guid.NewGuid():N}@example.com";
        var registered = await FrontendForms.SubmitAsync(frontend, "/register", new() { ["Email"] = email, ["Password"] = ApiClient.Password }, cancellationToken);
        Assert.Contains("Your account is ready", registered, StringComparison.Ordinal);
        var signedIn = await FrontendForms.SubmitAsync(frontend, "/signin", new() { ["Email"] = email, ["Password"] = ApiClient.Password }, cancellationToken);
        Assert.Contains("Your threads", signedIn, StringComparison.Ordinal);

        // The frontend keeps auth's session token in its cookie; the backend takes the same token as a bearer token.
        var token = cookies.GetCookies(frontend.BaseAddress!)["devlauncher_session"]?.Value;
        Assert.False(string.IsNullOrEmpty(token));
        return token;
    }

    private static async Task<long> PostThroughTheBackendAsync(HttpClient backend, CancellationToken cancellationToken)
    {
        using var thread = await backend.PostAsJsonAsync("/threads", new { title = "From the AppHost test" }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, thread.StatusCode);
        var threadId = (await thread.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetInt64();
        using var message = await backend.PostAsJsonAsync($"/threads/{threadId}/messages", new { body = "posted through the backend" }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, message.StatusCode);
        return threadId;
    }
}
