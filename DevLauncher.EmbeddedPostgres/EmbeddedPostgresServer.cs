using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DevLauncher.EmbeddedPostgres;

/// <summary>
/// A private PostgreSQL server on a loopback port, run from the machine's own binaries with initdb and pg_ctl:
/// no container engine, no download. The superuser password is generated once per cluster and kept beside it (0600).
/// </summary>
public sealed class EmbeddedPostgresServer : IAsyncDisposable
{
    public const string SuperUser = "postgres";

    private readonly EmbeddedPostgresOptions _options;
    private readonly string _binDirectory;
    private readonly ILogger _logger;
    private int _stopped;

    private EmbeddedPostgresServer(EmbeddedPostgresOptions options, string binDirectory, int port, string password, ILogger logger)
    {
        _options = options;
        _binDirectory = binDirectory;
        Port = port;
        SuperUserPassword = password;
        _logger = logger;
    }

    public int Port { get; }

    public string SuperUserPassword { get; }

    public string RootDirectory => _options.Directory;

    public string DataDirectory => Path.Combine(_options.Directory, "data");

    public string LogFile => Path.Combine(_options.Directory, "server.log");

    /// <summary>True when this start ran initdb (a cold start); false when an existing cluster was reused.</summary>
    public bool Initialized { get; private set; }

    public static async Task<EmbeddedPostgresServer> StartAsync(
        EmbeddedPostgresOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        var binDirectory = PostgresBinaries.Find(options.BinDirectory);
        var root = Path.GetFullPath(options.Directory);
        Directory.CreateDirectory(root);
        CommandRunner.GiveToServiceUser(root);

        var server = new EmbeddedPostgresServer(options with { Directory = root }, binDirectory,
            options.Port == 0 ? FreeLoopbackPort() : options.Port, EnsurePassword(root), logger);
        await server.InitializeIfNeededAsync(cancellationToken);
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
        var sql = $"CREATE DATABASE {QuoteIdentifier(name)}" + (template is null ? "" : $" TEMPLATE {QuoteIdentifier(template)}");
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DatabaseExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        // "fast" rolls back open transactions and disconnects clients: right for a dev server being shut down.
        await CommandRunner.RunAsync(PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30"], cancellationToken);
        _logger.LogInformation("PostgreSQL on port {Port} stopped", Port);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (EmbeddedPostgresException ex)
        {
            _logger.LogWarning("Stopping PostgreSQL failed: {Error}", ex.Message);
        }

        if (_options.DeleteOnDispose)
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
    }

    private string PgCtl => Path.Combine(_binDirectory, "pg_ctl");

    private async Task InitializeIfNeededAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            return;
        }

        if (Directory.Exists(DataDirectory))
        {
            // A half-made cluster from an interrupted initdb: initdb refuses a non-empty folder.
            Directory.Delete(DataDirectory, recursive: true);
        }

        _logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", DataDirectory);
        var passwordFile = Path.Combine(RootDirectory, "superuser.password");
        await CommandRunner.RunAsync(Path.Combine(_binDirectory, "initdb"),
        [
            "-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordFile,
            "--auth-host=scram-sha-256", "--auth-local=peer", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        ], cancellationToken);

        // Settings that every start needs and that -c cannot carry (an empty value): loopback TCP only, no Unix socket
        // (its default folder may not exist or belong to another server).
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"),
            $"""

            # DevLauncher embedded server
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            max_connections = {_options.MaxConnections}
            """, cancellationToken);
        Initialized = true;
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            // A server left running by a run that was killed: stop it so this run owns the cluster and its port.
            _logger.LogWarning("Found a PostgreSQL server still running on {DataDirectory}; stopping it first", DataDirectory);
            try
            {
                await CommandRunner.RunAsync(PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30"], cancellationToken);
            }
            catch (EmbeddedPostgresException ex)
            {
                _logger.LogDebug("pg_ctl stop of a stale server: {Error}", ex.Message);
            }
        }

        var serverOptions = string.Join(' ', _options.ServerSettings
            .Select(s => $"-c {s.Key}={s.Value}")
            .Prepend($"-p {Port.ToString(CultureInfo.InvariantCulture)}"));
        try
        {
            await CommandRunner.RunAsync(PgCtl,
            [
                "start", "-D", DataDirectory, "-l", LogFile, "-w",
                "-t", ((int)_options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                "-o", serverOptions,
            ], cancellationToken);
        }
        catch (EmbeddedPostgresException ex)
        {
            // pg_ctl only says "could not start server"; the reason (port in use, bad setting) is in the server log.
            throw new EmbeddedPostgresException($"{ex.Message}{Environment.NewLine}Server log ({LogFile}):{Environment.NewLine}{TailOfLog()}");
        }

        await WaitUntilAcceptingConnectionsAsync(cancellationToken);
        _logger.LogInformation("PostgreSQL {Version} is listening on 127.0.0.1:{Port}", Path.GetFileName(Path.GetDirectoryName(_binDirectory)), Port);
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
                throw new EmbeddedPostgresException($"PostgreSQL did not accept connections within {_options.StartTimeout}. Server log:{Environment.NewLine}{TailOfLog()}");
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

    private static string EnsurePassword(string root)
    {
        var path = Path.Combine(root, "superuser.password");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, fileOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(password);
        }

        CommandRunner.GiveToServiceUser(path); // initdb --pwfile reads it as the postgres user
        return password;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
