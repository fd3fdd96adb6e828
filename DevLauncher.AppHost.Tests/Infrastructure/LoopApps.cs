using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>The schema loop's tests' app: started with the test's settings, its appdb's properties, and its server.</summary>
internal static class LoopApps
{
    /// <summary>The seed files the worker runs on a server the AppHost runs (services/Migrations/Seeds).</summary>
    public static string SeedsDirectory => Path.Combine(WorkerProjectDirectory, "Seeds");

    /// <summary>The worker's own migration files (services/Migrations/Scripts).</summary>
    public static string ScriptsDirectory => Path.Combine(WorkerProjectDirectory, "Scripts");

    private static string WorkerProjectDirectory => Path.GetDirectoryName(new Projects.DevLauncher_Migrations().ProjectPath)!;

    /// <summary>The app, started once the worker's first run is on the dashboard.</summary>
    /// <param name="extra">Command-line settings; a key given twice takes its last value.</param>
    public static Task<TestAppHost> StartAsync(PostgresMode mode, CancellationToken cancellationToken, params string[] extra) =>
        StartAsync(mode, services: true, extra, cancellationToken);

    /// <summary>The app without auth, backend and frontend, for a test of the databases alone: PostgreSQL, appdb and the worker.</summary>
    public static Task<TestAppHost> StartWithoutServicesAsync(PostgresMode mode, CancellationToken cancellationToken, params string[] extra) =>
        StartAsync(mode, services: false, extra, cancellationToken);

    private static async Task<TestAppHost> StartAsync(PostgresMode mode, bool services, string[] extra, CancellationToken cancellationToken)
    {
        var host = await TestAppHost.CreateAsync(mode, cancellationToken, extra: extra, services: services);
        try
        {
            await MigrationsOnDashboard.WaitForRunAsync(await host.StartAsync(cancellationToken), 1, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>One of appdb's properties (<c>database.name</c>, <c>database.branch</c>, ...) as the dashboard shows it now.</summary>
    public static string? DatabaseProperty(DistributedApplication app, string name) =>
        MigrationsOnDashboard.Property(MigrationsOnDashboard.Current(app, ResourceNames.Database), name)?.ToString();

    public static string? WorkerProperty(DistributedApplication app, string name) =>
        MigrationsOnDashboard.Property(MigrationsOnDashboard.Current(app, ResourceNames.Migrations), name)?.ToString();

    /// <summary>appdb's connection string, as its owner: the worker's.</summary>
    public static async Task<string> OwnerAsync(DistributedApplication app, CancellationToken cancellationToken) =>
        await app.GetConnectionStringAsync(ResourceNames.Database, cancellationToken) ?? throw new InvalidOperationException("appdb has no connection string.");

    /// <summary>The server's superuser connection string (local or container mode).</summary>
    public static async Task<string> ServerAsync(DistributedApplication app, CancellationToken cancellationToken) =>
        await app.GetConnectionStringAsync(ResourceNames.Postgres, cancellationToken) ?? throw new InvalidOperationException("postgres has no connection string.");

    /// <summary>
    /// A new database on the server, migrated (and seeded, with <paramref name="seeds"/>) from scratch by the worker's
    /// engine in this process, as the worker would: <see cref="MigrationEngine.RunAsync"/>.
    /// </summary>
    /// <returns>The new database's connection string.</returns>
    public static async Task<string> MigrateFromScratchAsync(string server, string migrations, string? seeds, CancellationToken cancellationToken)
    {
        var name = $"scratch_{Guid.NewGuid():N}";
        await Sql.ExecuteAsync(server, $"CREATE DATABASE {name}", cancellationToken);
        var database = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        var options = new MigrationOptions { ConnectionString = database, Directory = migrations, SeedsDirectory = seeds };
        var result = await MigrationEngine.RunAsync(options, NullLoggerFactory.Instance, TimeProvider.System, cancellationToken);
        Assert.True(result.ExitCode == 0, $"The engine's run from scratch exited with {result.ExitCode}: {result.Failure?.Reason}");
        return database;
    }
}
