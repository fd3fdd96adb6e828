using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The whole app started by DCP, as F5 starts it, on a PostgreSQL of the test's own (see <see cref="TestAppHost"/>).
/// One class, so these run one after another: each starts seven processes.
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class StartTests
{
    [Fact]
    public async Task Everything_starts_the_worker_finishes_with_0_each_migration_is_applied_once_and_stopping_leaves_no_postgres()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        int postgresPid;
        await using (var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken))
        {
            var app = await host.StartAsync(cancellationToken);
            var finished = await MigrationsOnDashboard.WaitForRunAsync(app, 1, cancellationToken);
            Assert.Equal((KnownResourceStates.Finished, (int?)0), (finished.State?.Text, finished.ExitCode));
            await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
            await AppHostAssertions.EachMigrationAppliedOnceAsync(app, cancellationToken);

            var appdb = await AppResources.WaitForHealthyAsync(app, ResourceNames.Database, cancellationToken);
            Assert.Equal(KnownResourceStates.Running, appdb.Snapshot.State?.Text);
            postgresPid = TestAppHost.StartMode == PostgresMode.Local ? await AppResources.PidOfAsync(app, ResourceNames.Postgres, cancellationToken) : 0;
        }

        // Disposing the app stops every resource and waits for the cleanup (Aspire.Hosting.Testing's default).
        if (TestAppHost.StartMode == PostgresMode.Local)
        {
            Assert.False(IsRunning(postgresPid), $"PostgreSQL (pid {postgresPid}) is still running after the AppHost stopped");
        }
    }

    [Fact]
    public async Task Four_workers_started_with_the_services_apply_each_migration_once_and_every_service_comes_up()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        const int Workers = 4;
        await using var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken);
        var migrations = host.Builder.Resources.OfType<ProjectResource>().Single(r => r.Name == ResourceNames.Migrations);
        host.Builder.CreateResourceBuilder(migrations).WithReplicas(Workers);
        var app = await host.StartAsync(cancellationToken);

        // WaitForCompletion waits for every replica to finish with exit code 0, so healthy services mean all four did.
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
        var replicas = await TerminalReplicasAsync(app, Workers, cancellationToken);
        Assert.Equal(Workers, replicas.Count);
        Assert.All(replicas, e => Assert.Equal(0, e.Snapshot.ExitCode));
        // Each replica shows its own run: one applied everything, the others waited for the lock and found nothing to do.
        Assert.Equal(
            [$"Finished: at 0007, {ScratchMigrations.Scripts.Count} applied", .. Enumerable.Repeat("Finished: at 0007, up to date", Workers - 1)],
            replicas.Select(e => e.Snapshot.State?.Text ?? "").OrderBy(s => s.Contains("up to date", StringComparison.Ordinal)).ToArray());
        await AppHostAssertions.EachMigrationAppliedOnceAsync(app, cancellationToken);
    }

    [Fact]
    public async Task The_services_connection_cannot_run_DDL_and_a_user_signs_up_posts_and_reads_through_the_frontend()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var cookies = new CookieContainer();
        await using var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken);
        host.Builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            // A browser's cookie jar, so the frontend's anti-forgery and session cookies come back.
            http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { CookieContainer = cookies });
        });
        var app = await host.StartAsync(cancellationToken);
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);

        await AppHostAssertions.ServiceRoleCannotRunDdlAsync(app, cancellationToken);
        await SignUpPostAndReadAsync(app, cookies, cancellationToken);
    }

    [Fact]
    public async Task The_workers_spans_reach_the_dashboard_and_a_fresh_run_has_no_error_span()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var apiKey = Guid.NewGuid().ToString("N");
        await using var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken, dashboard: true,
            extra: [$"--AppHost:DashboardApiKey={apiKey}", "--AppHost:OtlpApiKey=" + Guid.NewGuid().ToString("N")]);
        var app = await host.StartAsync(cancellationToken);
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);

        using var dashboard = new HttpClient { BaseAddress = new Uri((await app.GetDashboardUrlAsync(cancellationToken)).GetLeftPart(UriPartial.Authority)) };
        dashboard.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        var spans = await DashboardTelemetry.WaitForSpansAsync(dashboard, ResourceNames.Migrations,
            names => names.Contains("migrations.run"), AppResources.WaitTimeout, cancellationToken);

        Assert.Contains("migrations.run", spans.Select(s => s.Name));
        Assert.Contains("migrations.lock_wait", spans.Select(s => s.Name));
        Assert.Contains(spans, s => s.Name.StartsWith("migration 0001", StringComparison.Ordinal));
        Assert.Empty(spans.Where(s => s.IsError).Select(s => s.Name));
    }

    private static async Task<List<ResourceEvent>> TerminalReplicasAsync(DistributedApplication app, int count, CancellationToken cancellationToken)
    {
        var replicas = new Dictionary<string, ResourceEvent>();
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        watch.CancelAfter(AppResources.WaitTimeout);
        await foreach (var e in app.ResourceNotifications.WatchAsync(watch.Token))
        {
            if (e.Resource.Name == ResourceNames.Migrations && MigrationProperties.RunOf(e.Snapshot) >= 1)
            {
                replicas[e.ResourceId] = e;
                if (replicas.Count == count)
                {
                    break;
                }
            }
        }

        return [.. replicas.Values];
    }

    private static async Task SignUpPostAndReadAsync(DistributedApplication app, CookieContainer cookies, CancellationToken cancellationToken)
    {
        using var frontend = app.CreateHttpClient(ResourceNames.Frontend);
        using var backend = app.CreateHttpClient(ResourceNames.Backend);
        var email = $"apphost-{Guid.NewGuid():N}@example.com";

        var registered = await FrontendForms.SubmitAsync(frontend, "/register", new() { ["Email"] = email, ["Password"] = "correct horse battery" }, cancellationToken);
        Assert.Contains("Your account is ready", registered, StringComparison.Ordinal);
        var signedIn = await FrontendForms.SubmitAsync(frontend, "/signin", new() { ["Email"] = email, ["Password"] = "correct horse battery" }, cancellationToken);
        Assert.Contains("Your threads", signedIn, StringComparison.Ordinal);

        // The frontend keeps auth's session token in its cookie; the backend takes the same token as a bearer token.
        var token = cookies.GetCookies(frontend.BaseAddress!)["devlauncher_session"]?.Value;
        Assert.False(string.IsNullOrEmpty(token));
        backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var thread = await backend.PostAsJsonAsync("/threads", new { title = "From the AppHost test" }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, thread.StatusCode);
        var threadId = (await thread.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetInt64();
        using var message = await backend.PostAsJsonAsync($"/threads/{threadId}/messages", new { body = "posted through the backend" }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, message.StatusCode);

        var page = await FrontendForms.SubmitAsync(frontend, $"/threads/{threadId}", new() { ["Body"] = "posted on the frontend" }, cancellationToken);
        Assert.Contains("posted through the backend", page, StringComparison.Ordinal);
        Assert.Contains("posted on the frontend", page, StringComparison.Ordinal);

        var messages = await backend.GetFromJsonAsync<JsonElement>($"/threads/{threadId}/messages", cancellationToken);
        Assert.Equal(
            ["posted through the backend", "posted on the frontend"],
            messages.EnumerateArray().Select(m => m.GetProperty("body").GetString() ?? "").ToArray());
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
