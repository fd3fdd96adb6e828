using System.Net.Http.Json;
using System.Text.Json;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>"Reset database" on a server the AppHost runs: a copy of the template built from the current files.</summary>
[Collection(OneAppAtATime.Name)]
public sealed class TemplateResetTests
{
    [Fact]
    public async Task A_reset_database_dumps_as_one_the_engine_migrated_and_seeded_from_scratch()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartAsync(cancellationToken);
        var (app, owner) = (loop.App, loop.Owner);
        // A row and a table of the developer's own, which a reset must not keep.
        await Sql.ExecuteAsync(owner, "INSERT INTO auth.users (email, password_hash) VALUES ('before-reset@example.com', 'not a hash'); " +
            "CREATE TABLE public.scratch (id int)", cancellationToken);

        var reset = await ExecuteAsync(app, ResourceNames.Database, DevLauncherCommands.ResetDatabase, cancellationToken);

        Assert.True(reset.Success, reset.Message);
        var scratch = await LoopApps.MigrateFromScratchAsync(await LoopApps.ServerAsync(app, cancellationToken),
            LoopApps.ScriptsDirectory, LoopApps.SeedsDirectory, cancellationToken);
        Assert.Equal(await PgDumps.ComparableAsync(scratch, cancellationToken), await PgDumps.ComparableAsync(owner, cancellationToken));
    }

    [Fact]
    public async Task The_running_services_serve_the_reset_database_from_the_first_request_on()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartAsync(cancellationToken);
        var app = loop.App;
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
        var pids = await AppResources.ServicePidsAsync(app, cancellationToken);
        var endpoints = await AppEndpoints.OfAsync(app, cancellationToken);
        using var api = new ApiClient(endpoints, cancellationToken);
        // Every service's pool holds connections to the database the reset replaces.
        using (var before = await api.SendAsync(HttpMethod.Get, $"{endpoints.Backend}/threads", await api.SignUpAndInAsync(ApiClient.NewEmail())))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var reset = await ExecuteAsync(app, ResourceNames.Database, DevLauncherCommands.ResetDatabase, cancellationToken);

        Assert.True(reset.Success, reset.Message);
        using var signIn = await api.SendAsync(HttpMethod.Post, $"{endpoints.Auth}/sessions", null, new { email = "demo@devlauncher.dev", password = "devlauncher-demo" });
        Assert.Equal(HttpStatusCode.Created, signIn.StatusCode);
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("token").GetString();
        using var threads = await api.SendAsync(HttpMethod.Get, $"{endpoints.Backend}/threads", token);
        Assert.Equal(HttpStatusCode.OK, threads.StatusCode);
        Assert.Equal(3, (await threads.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetArrayLength());
        Assert.Equal(pids, await AppResources.ServicePidsAsync(app, cancellationToken));
    }
}
