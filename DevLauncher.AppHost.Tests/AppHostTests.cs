using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Postgres;
using DevLauncher.ServiceDefaults;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The AppHost as Aspire builds and runs it, shaped like Aspire's xunit template. The model tests need no orchestrator;
/// the others need nuget.org (to restore), the Aspire CLI bundle (DCP) and a container runtime.
/// </summary>
public sealed class AppHostTests
{
    // The first run pulls the PostgreSQL image, so starting is allowed minutes, not seconds.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(5);
    private static readonly string[] Services = [ResourceNames.Auth, ResourceNames.Backend, ResourceNames.Frontend];
    private const string ServicePassword = "apphost-tests-service-password";

    /// <summary>
    /// Always the container topology with passwords of its own: a developer's <c>ConnectionStrings:appdb</c> user
    /// secret (an existing server) is blanked, pgAdmin stays off, and no generated password is read from or written to
    /// user secrets.
    /// </summary>
    private static string[] Arguments(params string[] extra) =>
    [
        "--ConnectionStrings:appdb=",
        "--DevLauncher:PgAdmin=false",
        "--Parameters:postgres-password=apphost-tests-postgres-password",
        $"--Parameters:service-password={ServicePassword}",
        .. extra,
    ];

    [Fact]
    public async Task The_model_has_postgres_appdb_the_worker_and_three_services_that_wait_for_the_worker_to_finish()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var appHost = await CreateAsync(Arguments(), cancellationToken);

        var resources = appHost.Resources.Where(r => r is not ParameterResource).ToDictionary(r => r.Name);
        Assert.Superset(
            new HashSet<string>([ResourceNames.Postgres, ResourceNames.Database, ResourceNames.Migrations, .. Services]),
            resources.Keys.ToHashSet());
        var postgres = Assert.IsType<PostgresServerResource>(resources[ResourceNames.Postgres]);
        Assert.Equal(("postgres-password", true), (postgres.PasswordParameter.Name, postgres.PasswordParameter.Secret));
        Assert.Contains(postgres.Annotations.OfType<ContainerLifetimeAnnotation>(), a => a.Lifetime == ContainerLifetime.Persistent);
        Assert.Contains(postgres.Annotations.OfType<ContainerMountAnnotation>(), m => m.Type == ContainerMountType.Volume && !m.IsReadOnly);
        Assert.DoesNotContain(appHost.Resources, r => r is PgAdminContainerResource);
        Assert.Equal(ResourceNames.Database, Assert.IsType<PostgresDatabaseResource>(resources[ResourceNames.Database]).DatabaseName);

        var migrations = Assert.IsType<ProjectResource>(resources[ResourceNames.Migrations]);
        Assert.Contains(migrations.Annotations.OfType<WaitAnnotation>(),
            w => w.Resource.Name == ResourceNames.Database && w.WaitType == WaitType.WaitUntilHealthy);
        foreach (var name in Services)
        {
            var service = Assert.IsType<ProjectResource>(resources[name]);
            Assert.Contains(service.Annotations.OfType<WaitAnnotation>(),
                w => w.Resource == migrations && w.WaitType == WaitType.WaitForCompletion && w.ExitCode == 0);
            Assert.Contains(service.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
            Assert.Contains(service.Annotations.OfType<EndpointAnnotation>(), e => e.UriScheme == "http");
        }

        Assert.Contains(resources[ResourceNames.Frontend].Annotations.OfType<EndpointAnnotation>(), e => e.IsExternal);

        // Building validates the model (names, endpoints, health checks) without starting anything.
        await using var app = await appHost.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
    }

    [Fact]
    public async Task PgAdmin_is_there_only_when_configuration_asks_for_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var appHost = await CreateAsync([.. Arguments(), "--DevLauncher:PgAdmin=true"], cancellationToken);

        Assert.Single(appHost.Resources.OfType<PgAdminContainerResource>());
    }

    [Fact]
    public async Task The_worker_gets_the_owners_connection_string_and_the_services_the_service_roles_without_the_owners_password()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var appHost = await CreateAsync(Arguments(), cancellationToken);

        var worker = await EnvironmentOfAsync(appHost, ResourceNames.Migrations, cancellationToken);
        Assert.Equal("{appdb.connectionString}", worker["ConnectionStrings__appdb"]);
        Assert.Equal("{service-password.value}", worker["Database__ServicePassword"]);

        foreach (var name in Services)
        {
            var service = await EnvironmentOfAsync(appHost, name, cancellationToken);
            Assert.Equal("{appdb-service.connectionString}", service["ConnectionStrings__appdb"]);
            Assert.DoesNotContain(service, e => e.Value.Contains("postgres-password", StringComparison.Ordinal));
            Assert.DoesNotContain(service, e => e.Value.Contains("{appdb.", StringComparison.Ordinal));
        }

        var backend = await EnvironmentOfAsync(appHost, ResourceNames.Backend, cancellationToken);
        Assert.Equal("{auth.bindings.http.url}", backend["services__auth__http__0"]);
        var frontend = await EnvironmentOfAsync(appHost, ResourceNames.Frontend, cancellationToken);
        Assert.Equal("{backend.bindings.http.url}", frontend["services__backend__http__0"]);
        Assert.Equal("{auth.bindings.http.url}", frontend["services__auth__http__0"]);

        var serviceDatabase = Assert.IsType<ConnectionStringResource>(appHost.Resources.Single(r => r.Name == "appdb-service"));
        Assert.Equal(
            "Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=devlauncher_service;Password={service-password.value};Database=appdb",
            serviceDatabase.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task With_ConnectionStrings_appdb_configured_there_is_no_container_and_the_services_use_that_server_as_the_service_role()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var appHost = await CreateAsync(
            [.. Arguments(), "--ConnectionStrings:appdb=Host=db.internal;Port=5433;Database=devlauncher;Username=owner;Password=owner-secret"],
            cancellationToken);

        Assert.DoesNotContain(appHost.Resources, r => r is ContainerResource);
        var owner = Assert.IsAssignableFrom<IResourceWithConnectionString>(appHost.Resources.Single(r => r.Name == ResourceNames.Database));
        Assert.Equal("Host=db.internal;Port=5433;Database=devlauncher;Username=owner;Password=owner-secret", await owner.GetConnectionStringAsync(cancellationToken));

        IResourceWithConnectionString serviceDatabase = Assert.IsType<ConnectionStringResource>(appHost.Resources.Single(r => r.Name == "appdb-service"));
        var serviceConnectionString = await serviceDatabase.GetConnectionStringAsync(cancellationToken);
        var parts = new NpgsqlConnectionStringBuilder(serviceConnectionString);
        Assert.Equal(("db.internal", 5433, "devlauncher", "devlauncher_service", ServicePassword), (parts.Host, parts.Port, parts.Database, parts.Username, parts.Password));
        Assert.DoesNotContain("owner", serviceConnectionString, StringComparison.Ordinal);

        var migrations = appHost.Resources.Single(r => r.Name == ResourceNames.Migrations);
        Assert.Contains(migrations.Annotations.OfType<WaitAnnotation>(), w => w.Resource == owner);
    }

    [Fact]
    public async Task Everything_starts_the_worker_finishes_with_0_the_services_are_healthy_and_each_migration_is_applied_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = await StartAsync(Arguments(), configure: null, cancellationToken);

        var finished = await app.ResourceNotifications
            .WaitForResourceAsync(ResourceNames.Migrations, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellationToken)
            .WaitAsync(WaitTimeout, cancellationToken);
        Assert.Equal(KnownResourceStates.Finished, finished.Snapshot.State?.Text);
        Assert.Equal(0, finished.Snapshot.ExitCode);
        await WaitForServicesHealthyAsync(app, cancellationToken);

        await AssertEachMigrationAppliedOnceAsync(app, cancellationToken);
    }

    [Fact]
    public async Task Four_workers_at_once_apply_the_schema_once_and_every_service_comes_up()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        const int Workers = 4;

        // Replicas of the worker start together. WaitForCompletion waits for every replica to finish with exit code 0
        // (ResourceNotificationService.WaitUntilCompletionAsync resolves one wait per instance).
        await using var app = await StartAsync(Arguments(), appHost =>
        {
            var migrations = appHost.Resources.OfType<ProjectResource>().Single(r => r.Name == ResourceNames.Migrations);
            appHost.CreateResourceBuilder(migrations).WithReplicas(Workers);
        }, cancellationToken);

        await WaitForServicesHealthyAsync(app, cancellationToken);

        var replicas = new Dictionary<string, ResourceEvent>();
        using (var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            watch.CancelAfter(WaitTimeout);
            await foreach (var e in app.ResourceNotifications.WatchAsync(watch.Token))
            {
                if (e.Resource.Name == ResourceNames.Migrations && KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text))
                {
                    replicas[e.ResourceId] = e;
                    if (replicas.Count == Workers)
                    {
                        break;
                    }
                }
            }
        }

        Assert.Equal(Workers, replicas.Count);
        Assert.All(replicas.Values, e => Assert.Equal((KnownResourceStates.Finished, (int?)0), (e.Snapshot.State?.Text, e.Snapshot.ExitCode)));
        await AssertEachMigrationAppliedOnceAsync(app, cancellationToken);
    }

    [Fact]
    public async Task Sign_up_and_sign_in_on_the_frontend_post_through_the_backend_and_read_on_both()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var cookies = new CookieContainer();
        await using var app = await StartAsync(Arguments(), configure: null, cancellationToken, cookies);
        await WaitForServicesHealthyAsync(app, cancellationToken);

        using var frontend = app.CreateHttpClient(ResourceNames.Frontend);
        using var backend = app.CreateHttpClient(ResourceNames.Backend);
        var email = $"apphost-{Guid.NewGuid():N}@example.com";

        var registered = await SubmitFormAsync(frontend, "/register", new() { ["Email"] = email, ["Password"] = "correct horse battery" }, cancellationToken);
        Assert.Contains("Your account is ready", registered, StringComparison.Ordinal);
        var signedIn = await SubmitFormAsync(frontend, "/signin", new() { ["Email"] = email, ["Password"] = "correct horse battery" }, cancellationToken);
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

        var page = await SubmitFormAsync(frontend, $"/threads/{threadId}", new() { ["Body"] = "posted on the frontend" }, cancellationToken);
        Assert.Contains("posted through the backend", page, StringComparison.Ordinal);
        Assert.Contains("posted on the frontend", page, StringComparison.Ordinal);

        var messages = await backend.GetFromJsonAsync<JsonElement>($"/threads/{threadId}/messages", cancellationToken);
        Assert.Equal(
            ["posted through the backend", "posted on the frontend"],
            messages.EnumerateArray().Select(m => m.GetProperty("body").GetString() ?? "").ToArray());
    }

    private static Task<IDistributedApplicationTestingBuilder> CreateAsync(string[] arguments, CancellationToken cancellationToken) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.DevLauncher_AppHost>(arguments, cancellationToken).WaitAsync(StartTimeout, cancellationToken);

    private static async Task<DistributedApplication> StartAsync(
        string[] arguments, Action<IDistributedApplicationTestingBuilder>? configure, CancellationToken cancellationToken, CookieContainer? cookies = null)
    {
        var appHost = await CreateAsync(arguments, cancellationToken);

        // An empty database that goes away with the test, not F5's: the persistent container and its volume (created
        // with the developer's generated password) are left alone, and every test migrates from nothing.
        var postgres = appHost.Resources.OfType<PostgresServerResource>().Single();
        foreach (var kept in postgres.Annotations.Where(a => a is ContainerLifetimeAnnotation or ContainerMountAnnotation).ToList())
        {
            postgres.Annotations.Remove(kept);
        }

        configure?.Invoke(appHost);
        appHost.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            if (cookies is not null)
            {
                // A browser's cookie jar, so the frontend's anti-forgery and session cookies come back.
                http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { CookieContainer = cookies });
            }
        });

        var app = await appHost.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        return app;
    }

    private static async Task WaitForServicesHealthyAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        foreach (var name in Services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken).WaitAsync(WaitTimeout, cancellationToken);
        }
    }

    /// <summary>Exactly one history row per script in services/Migrations/Scripts, and no other row.</summary>
    private static async Task AssertEachMigrationAppliedOnceAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var scripts = new DirectoryInfo(Path.Combine(Path.GetDirectoryName(new Projects.DevLauncher_Migrations().ProjectPath)!, "Scripts"))
            .GetFiles("*.sql")
            .Select(f => f.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(scripts);

        var connectionString = await app.GetConnectionStringAsync(ResourceNames.Database, cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT version, script_name FROM devlauncher.schema_history ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var version = reader.GetInt64(0);
            var scriptName = reader.GetString(1);
            Assert.StartsWith(version.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "_", scriptName, StringComparison.Ordinal);
            rows.Add(scriptName);
        }

        Assert.Equal(scripts, rows);
    }

    /// <summary>A resource's environment as the manifest writes it: references stay references, secrets stay hidden.</summary>
    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(IDistributedApplicationTestingBuilder appHost, string name, CancellationToken cancellationToken)
    {
        var resource = appHost.Resources.OfType<IResourceWithEnvironment>().Single(r => r.Name == name);
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, cancellationToken);
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    /// <summary>GETs the page with the form, then POSTs the fields with its anti-forgery token, as a browser does.</summary>
    private static async Task<string> SubmitFormAsync(HttpClient client, string path, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var form = await client.GetStringAsync(path, cancellationToken);
        const string Marker = "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"";
        var start = form.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No anti-forgery token on {path}");
        start += Marker.Length;
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(form[start..form.IndexOf('"', start)]);

        using var content = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(path, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
