using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.LocalPostgres;

/// <summary>
/// A private PostgreSQL server on a loopback port, run from the machine's own binaries with initdb and pg_ctl:
/// no container engine, no download. The superuser password is generated once per cluster and kept beside it (0600).
/// </summary>
internal sealed class LocalPostgresServer : IAsyncDisposable
{
    public const string SuperUser = PostgresCluster.SuperUser;

    private readonly LocalPostgresServerOptions _options;
    private readonly PostgresCluster _cluster;
    private readonly ILogger _logger;
    private int _stopped;

    private LocalPostgresServer(LocalPostgresServerOptions options, PostgresCluster cluster, int port, ILogger logger)
    {
        _options = options;
        _cluster = cluster;
        Port = port;
        SuperUserPassword = cluster.EnsureSuperUserPassword();
        _logger = logger;
    }

    public int Port { get; }

    public string SuperUserPassword { get; }

    public string RootDirectory => _cluster.RootDirectory;

    public string DataDirectory => _cluster.DataDirectory;

    public string LogFile => Path.Combine(RootDirectory, "server.log");

    /// <summary>True when this start ran initdb (a cold start); false when an existing cluster was reused.</summary>
    public bool Initialized { get; private set; }

    public static async Task<LocalPostgresServer> StartAsync(
        LocalPostgresServerOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        var cluster = new PostgresCluster(options.Directory, options.BinDirectory);
        var server = new LocalPostgresServer(options with { Directory = cluster.RootDirectory }, cluster,
            options.Port == 0 ? FreeLoopbackPort() : options.Port, logger);
        server.Initialized = await cluster.InitializeAsync(options.MaxConnections, logger, cancellationToken);
        await cluster.StopLeftoverServerAsync(logger, cancellationToken);
        await server.StartServerAsync(cancellationToken);
        return server;
    }

    public string GetConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = SuperUserPassword,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates a database, optionally as a copy of <paramref name="template"/> (a fast file-level copy).</summary>
    public async Task CreateDatabaseAsync(string name, string? template = null, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        var sql = $"CREATE DATABASE {PostgresIdentifier.Quote(name)}" + (template is null ? "" : $" TEMPLATE {PostgresIdentifier.Quote(template)}");
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await _cluster.StopAsync(cancellationToken);
        _logger.LogInformation("PostgreSQL on port {Port} stopped", Port);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (LocalPostgresException ex)
        {
            _logger.LogWarning("Stopping PostgreSQL failed: {Error}", ex.Message);
        }

        if (_options.DeleteOnDispose)
        {
            DeleteRootDirectory();
        }
    }

    private void DeleteRootDirectory()
    {
        try
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
        catch (IOException ex)
        {
            _logger.LogWarning("Could not delete {Directory}: {Error}", RootDirectory, ex.Message);
        }
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var serverOptions = string.Join(' ', _options.ServerSettings
            .Select(s => $"-c {s.Key}={s.Value}")
            .Prepend($"-p {Port.ToString(CultureInfo.InvariantCulture)}"));
        try
        {
            await CommandRunner.RunAsync(_cluster.Program("pg_ctl"),
            [
                "start", "-D", DataDirectory, "-l", LogFile, "-w",
                "-t", ((int)_options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                "-o", serverOptions,
            ], cancellationToken);
        }
        catch (LocalPostgresException ex)
        {
            // pg_ctl only says "could not start server"; the reason (port in use, bad setting) is in the server log.
            throw new LocalPostgresException($"{ex.Message}{Environment.NewLine}Server log ({LogFile}):{Environment.NewLine}{TailOfLog()}");
        }

        await WaitUntilAcceptingConnectionsAsync(cancellationToken);
        _logger.LogInformation("PostgreSQL {Version} is listening on 127.0.0.1:{Port}", Path.GetFileName(Path.GetDirectoryName(_cluster.BinDirectory)), Port);
    }

    private async Task WaitUntilAcceptingConnectionsAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StartTimeout);
        var connectionString = new NpgsqlConnectionStringBuilder(GetConnectionString()) { Pooling = false }.ConnectionString;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(timeout.Token);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException { IsTransient: true } or PostgresException { SqlState: "57P03" })
            {
                // 57P03: the server is starting up. pg_ctl -w normally covers this; a loaded machine may still get here.
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LocalPostgresException($"PostgreSQL did not accept connections within {_options.StartTimeout}. Server log:{Environment.NewLine}{TailOfLog()}");
            }
        }
    }

    private string TailOfLog()
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(LogFile).TakeLast(20));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
