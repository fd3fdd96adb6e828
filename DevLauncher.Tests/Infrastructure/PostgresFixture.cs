using System.Security.Cryptography;
using DevLauncher.Contracts;
using DevLauncher.LocalPostgres;
using Npgsql;

[assembly: AssemblyFixture(typeof(DevLauncher.Tests.Infrastructure.PostgresFixture))]

namespace DevLauncher.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL server for the whole test run (started from the machine's binaries), and a fresh database per
/// test: empty, or a copy of a template the real worker migrated once (CREATE DATABASE ... TEMPLATE is a file copy).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string MigratedTemplate = "devlauncher_migrated_template";
    private readonly SemaphoreSlim _templateGate = new(1, 1);
    private int _databaseCounter;
    private bool _templateReady;

    internal LocalPostgresServer Server { get; private set; } = null!;

    /// <summary>
    /// The password every worker of this test run gives the services' role: the role is cluster-wide, so every test on
    /// the server must set the same one, or it would lock out the services of the tests running beside it.
    /// </summary>
    public string ServicePassword { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The same database, as the services' least-privilege role instead of the owner.</summary>
    public string AsServiceRole(string connectionString) => AsServiceRole(connectionString, ServicePassword);

    /// <summary>The same database, as the services' role with the given password.</summary>
    public static string AsServiceRole(string connectionString, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = ServiceRole.Name, Password = password }.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        Server = await ThrowAwayServer.StartAsync("tests");
        // Before any test: migration 0007 creates the services' role, which belongs to the cluster, not to a database,
        // and the migration lock is per database. Two tests migrating databases of their own at once could both find
        // the role missing, and one would fail with 23505; once it exists, 0007 finds it and creates nothing.
        await EnsureMigratedTemplateAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _templateGate.Dispose();
    }

    /// <summary>A new, empty database; returns its connection string (superuser).</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = NextName();
        await Server.CreateDatabaseAsync(name, "template0", cancellationToken);
        return Server.GetConnectionString(name);
    }

    /// <summary>A new database with every embedded migration applied by the real worker.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(CancellationToken cancellationToken = default)
    {
        await EnsureMigratedTemplateAsync(cancellationToken);
        var name = NextName();
        await Server.CreateDatabaseAsync(name, MigratedTemplate, cancellationToken);
        return Server.GetConnectionString(name);
    }

    /// <summary>
    /// What the AppHost's Reset database and Undo last migration do under running services: drops the database, ending
    /// every session on it, then puts a copy of the migrated template in its place under the same name.
    /// </summary>
    public async Task SwapDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await DropDatabaseAsync(connectionString);
        await RecreateMigratedDatabaseAsync(connectionString, cancellationToken);
    }

    /// <summary>DROP DATABASE ... WITH (FORCE): the server ends every session on it first.</summary>
    public Task DropDatabaseAsync(string connectionString) => Sql.ExecuteAsync(Server.GetConnectionString(),
        $"DROP DATABASE {PostgresIdentifier.Quote(DatabaseName(connectionString))} WITH (FORCE)");

    /// <summary>Creates a dropped database again, as a copy of the migrated template.</summary>
    public async Task RecreateMigratedDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await EnsureMigratedTemplateAsync(cancellationToken);
        await Server.CreateDatabaseAsync(DatabaseName(connectionString), MigratedTemplate, cancellationToken);
    }

    private static string DatabaseName(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Database ?? throw new ArgumentException("No database named.", nameof(connectionString));

    private async Task EnsureMigratedTemplateAsync(CancellationToken cancellationToken)
    {
        await _templateGate.WaitAsync(cancellationToken);
        try
        {
            if (_templateReady)
            {
                return;
            }

            // A template left by an attempt that failed half-way is rebuilt rather than trusted.
            await Sql.ExecuteAsync(Server.GetConnectionString(), $"DROP DATABASE IF EXISTS {MigratedTemplate} WITH (FORCE)", cancellationToken);
            await Server.CreateDatabaseAsync(MigratedTemplate, "template0", cancellationToken);
            var connectionString = Server.GetConnectionString(MigratedTemplate);
            var result = await InProcessWorker.RunAsync(connectionString, servicePassword: ServicePassword, cancellationToken: cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"Migrating the template failed: {result.Error}");
            }

            // A template must have no open connections when it is copied.
            NpgsqlConnection.ClearAllPools();
            _templateReady = true;
        }
        finally
        {
            _templateGate.Release();
        }
    }

    private string NextName() => $"test_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid():N}";
}
