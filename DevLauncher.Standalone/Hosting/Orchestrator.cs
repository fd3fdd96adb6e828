using System.Text.Json;
using DevLauncher.EmbeddedPostgres;
using DevLauncher.Migrations.Model;
using DevLauncher.Migrations.Runner;
using DevLauncher.ServiceDefaults;
using DevLauncher.Standalone.Console;
using DevLauncher.Standalone.Model;
using Npgsql;

namespace DevLauncher.Standalone.Hosting;

/// <summary>
/// The AppHost's topology without Aspire: PostgreSQL, then the migration worker to completion, then the three
/// services (Aspire's WaitForCompletion), each wired with the configuration keys Aspire would inject.
/// </summary>
public sealed class Orchestrator(StandaloneOptions options, StatusView view, TimeProvider timeProvider)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <returns>0 after a clean stop; the worker's exit code when migrations failed; 1 when anything else failed to start.</returns>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        foreach (var name in new[] { ResourceNames.Postgres, ResourceNames.Migrations, ResourceNames.Auth, ResourceNames.Backend, ResourceNames.Frontend })
        {
            view.Register(name);
        }

        EmbeddedPostgresServer? server = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var services = new List<ServiceSupervisor>();
        try
        {
            (server, var ownerConnectionString) = await StartDatabaseAsync(stop);
            var servicePassword = ServicePassword(server, ownerConnectionString);
            var serviceConnectionString = new NpgsqlConnectionStringBuilder(ownerConnectionString)
            {
                Username = ServiceRole.Name,
                Password = servicePassword,
            }.ConnectionString;

            var workerExitCode = await RunMigrationsAsync(ownerConnectionString, servicePassword, stop);
            if (workerExitCode != ExitCodes.Success)
            {
                view.Say($"The migration worker failed (exit code {workerExitCode}: {Meaning(workerExitCode)}); its error is above. No service was started.");
                return workerExitCode;
            }

            services.Add(Service(ResourceNames.Auth, "services/Auth", "DevLauncher.Auth", options.AuthPort, serviceConnectionString, http));
            services.Add(Service(ResourceNames.Backend, "services/Backend", "DevLauncher.Backend", options.BackendPort, serviceConnectionString, http));
            services.Add(Service(ResourceNames.Frontend, "services/Frontend", "DevLauncher.Frontend", options.FrontendPort, serviceConnectionString, http));
            services.ForEach(s => s.Start());

            await Task.WhenAll(services.Select(s => s.FirstHealthy)).WaitAsync(stop);
            view.PrintTable($"DevLauncher is up. Open {Url(options.FrontendPort)} in a browser to register and post. Press Ctrl-C to stop.");
            if (options.ReadyFile is not null)
            {
                WriteReadyFile(options.ReadyFile, ownerConnectionString, serviceConnectionString);
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, stop);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception ex) when (ex is PostgresNotInstalledException or EmbeddedPostgresException or NpgsqlException or FileNotFoundException)
        {
            view.Say($"Could not start: {ex.Message}");
            return 1;
        }
        finally
        {
            await StopAllAsync(services, server);
            if (options.ReadyFile is not null)
            {
                File.Delete(options.ReadyFile);
            }
        }
    }

    /// <summary>
    /// Reverse order of start, so nothing calls a service that is already gone. PostgreSQL is stopped whatever happens
    /// to the services: pg_ctl runs it in a session of its own, so nobody else would stop it, and a server left
    /// running holds the data directory that the next run needs.
    /// </summary>
    private async Task StopAllAsync(List<ServiceSupervisor> services, EmbeddedPostgresServer? server)
    {
        if (services.Count == 0 && server is null)
        {
            return;
        }

        view.Say("Stopping: services first, then PostgreSQL.");
        try
        {
            foreach (var service in Enumerable.Reverse(services))
            {
                await service.StopAsync();
                service.Dispose();
            }
        }
        finally
        {
            if (server is not null)
            {
                view.Update(ResourceNames.Postgres, ResourceState.Stopping);
                await server.DisposeAsync();
                view.Update(ResourceNames.Postgres, ResourceState.Stopped);
            }
        }
    }

    private async Task<(EmbeddedPostgresServer? Server, string OwnerConnectionString)> StartDatabaseAsync(CancellationToken stop)
    {
        if (options.Database is { } existing)
        {
            var target = new NpgsqlConnectionStringBuilder(existing);
            view.Update(ResourceNames.Postgres, ResourceState.Running, $"postgres://{target.Host}:{target.Port}/{target.Database}", "existing server (--database)");
            return (null, existing);
        }

        var directory = Path.Combine(options.DataDirectory, "postgres");
        if (options.Reset && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        view.Update(ResourceNames.Postgres, ResourceState.Starting);
        var server = await EmbeddedPostgresServer.StartAsync(new EmbeddedPostgresOptions { Directory = directory }, cancellationToken: stop);
        if (!await server.DatabaseExistsAsync(ResourceNames.Database, stop))
        {
            await server.CreateDatabaseAsync(ResourceNames.Database, cancellationToken: stop);
        }

        NpgsqlConnection.ClearAllPools(); // the host itself keeps no superuser session open

        view.Update(ResourceNames.Postgres, ResourceState.Healthy, $"postgres://127.0.0.1:{server.Port}/{ResourceNames.Database}",
            server.Initialized ? $"new cluster in {directory}" : $"cluster in {directory}");
        return (server, server.GetConnectionString(ResourceNames.Database));
    }

    /// <summary>
    /// The role is shared by everyone who runs the worker on that server, and the worker sets its password on every run.
    /// An embedded cluster is ours alone: a password generated once and kept in the data directory. On an existing
    /// server, several hosts (each with its own data directory) may share the database: the password is derived from
    /// the owner's, so they all set the same one; without a password in the owner's connection string (trust, peer,
    /// a pgpass file) there is nothing to derive from, and the generated one is used.
    /// </summary>
    private string ServicePassword(EmbeddedPostgresServer? server, string ownerConnectionString) =>
        server is null && new NpgsqlConnectionStringBuilder(ownerConnectionString).Password is { Length: > 0 } ownerPassword
            ? ServiceRole.DerivePassword(ownerPassword)
            : Secrets.ReadOrCreate(Path.Combine(options.DataDirectory, "service.password"));

    private async Task<int> RunMigrationsAsync(string ownerConnectionString, string servicePassword, CancellationToken stop)
    {
        view.Update(ResourceNames.Migrations, ResourceState.Starting);
        var environment = CommonEnvironment(ResourceNames.Migrations);
        environment["ConnectionStrings__appdb"] = ownerConnectionString;
        environment["Database__ServicePassword"] = servicePassword;
        if (options.MigrationsDirectory is { } directory)
        {
            environment["Migrations__Directory"] = Path.GetFullPath(directory);
        }

        await using var worker = ChildProcess.Start(ResourceNames.Migrations,
            ProjectOutputs.Dll("services/Migrations", "DevLauncher.Migrations"), environment, view);
        view.Update(ResourceNames.Migrations, ResourceState.Running, note: $"pid {worker.Id}");
        var exitCode = await worker.WaitForExitAsync(stop);
        view.Update(ResourceNames.Migrations, exitCode == 0 ? ResourceState.Finished : ResourceState.Failed,
            note: $"exit code {exitCode}" + (exitCode == 0 ? "" : $": {Meaning(exitCode)}"));
        return exitCode;
    }

    private ServiceSupervisor Service(string name, string folder, string assembly, int port, string serviceConnectionString, HttpClient http)
    {
        var environment = CommonEnvironment(name);
        environment["ConnectionStrings__appdb"] = serviceConnectionString;
        environment["ASPNETCORE_URLS"] = Url(port);
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["services__auth__http__0"] = Url(options.AuthPort);
        environment["services__backend__http__0"] = Url(options.BackendPort);
        return new ServiceSupervisor(name, ProjectOutputs.Dll(folder, assembly), port, environment, view, http, timeProvider);
    }

    /// <summary>What every child gets; OTEL_EXPORTER_OTLP_ENDPOINT and the rest of the host's environment pass through.</summary>
    private Dictionary<string, string?> CommonEnvironment(string name)
    {
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = name,
            ["DOTNET_ENVIRONMENT"] = "Development",
            // A connection string in the host's own environment must not leak into a child that should not have it.
            ["ConnectionStrings__appdb"] = null,
        };
        if (options.JsonLogs)
        {
            environment["Logging__Console__FormatterName"] = "json";
        }

        if (options.ConsoleTraces)
        {
            environment["DevLauncher__ConsoleTraces"] = "true";
        }

        return environment;
    }

    private void WriteReadyFile(string path, string ownerConnectionString, string serviceConnectionString)
    {
        // For scripts and tests; it holds passwords, so it is readable by its owner only.
        var ready = new Dictionary<string, string>
        {
            [ResourceNames.Frontend] = Url(options.FrontendPort),
            [ResourceNames.Auth] = Url(options.AuthPort),
            [ResourceNames.Backend] = Url(options.BackendPort),
            ["database"] = ownerConnectionString,
            ["serviceDatabase"] = serviceConnectionString,
        };
        Secrets.WriteOwnerOnly(path, JsonSerializer.Serialize(ready, Indented));
    }

    private static string Url(int port) => $"http://127.0.0.1:{port}";

    private static string Meaning(int exitCode) => exitCode switch
    {
        ExitCodes.Configuration => "configuration error or database unreachable",
        ExitCodes.LockTimeout => "another worker held the migration lock too long",
        ExitCodes.MigrationFailed => "a migration failed and was rolled back",
        ExitCodes.ValidationFailed => "the migration files disagree with the history; nothing was applied",
        _ => "stopped or crashed",
    };
}
