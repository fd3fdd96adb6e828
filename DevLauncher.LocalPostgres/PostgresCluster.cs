using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace DevLauncher.LocalPostgres;

/// <summary>
/// The on-disk half of a private PostgreSQL server: its folder, its superuser password, initdb, and the command that
/// runs the server in the foreground. <see cref="LocalPostgresServer"/> starts it with pg_ctl; the AppHost hands the
/// foreground command to its orchestrator, which starts, watches and stops the process.
/// </summary>
public sealed class PostgresCluster
{
    public const string SuperUser = "postgres";

    private readonly string _binDirectory;

    /// <param name="directory">Holds <c>data/</c> (the cluster) and <c>superuser.password</c>; created when missing.</param>
    /// <param name="binDirectory">Where initdb and postgres are; null finds them (see <see cref="PostgresBinaries"/>).</param>
    public PostgresCluster(string directory, string? binDirectory = null)
    {
        _binDirectory = PostgresBinaries.Find(binDirectory);
        RootDirectory = Path.GetFullPath(directory);
    }

    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    public string BinDirectory => _binDirectory;

    public bool Exists => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    /// <summary>The superuser's password: generated once per cluster and kept beside it, readable by its owner only.</summary>
    public string EnsureSuperUserPassword()
    {
        CreateRootDirectory();
        if (File.Exists(PasswordFile))
        {
            return File.ReadAllText(PasswordFile).Trim();
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        WritePasswordFile(password);
        ServiceUser.GiveTo(PasswordFile); // initdb --pwfile reads it as the postgres user
        return password;
    }

    /// <summary>Runs initdb when there is no cluster yet. Returns true when it did (a cold start).</summary>
    public async Task<bool> InitializeAsync(int maxConnections, ILogger logger, CancellationToken cancellationToken)
    {
        if (Exists)
        {
            return false;
        }

        EnsureSuperUserPassword();
        if (Directory.Exists(DataDirectory))
        {
            // A half-made cluster from an interrupted initdb: initdb refuses a non-empty folder.
            Directory.Delete(DataDirectory, recursive: true);
        }

        logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", DataDirectory);
        await RunInitDbAsync(cancellationToken);
        await AppendStartSettingsAsync(maxConnections, cancellationToken);
        return true;
    }

    /// <summary>
    /// Stops a server that a killed run left on this cluster, so that this run owns it. A stale
    /// <c>postmaster.pid</c> whose process is gone needs nothing: the server starts over it.
    /// </summary>
    public async Task StopLeftoverServerAsync(ILogger logger, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            return;
        }

        try
        {
            await CommandRunner.RunAsync(Program("pg_ctl"), ["status", "-D", DataDirectory], cancellationToken);
        }
        catch (LocalPostgresException)
        {
            return; // pg_ctl status exits 3 when no server runs: the pid file is stale.
        }

        logger.LogWarning("Found a PostgreSQL server still running on {DataDirectory}; stopping it first", DataDirectory);
        await StopAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes the cluster and its superuser's password, so the next start runs initdb. The folder itself stays: it
    /// holds the lock of the AppHost that asked (<see cref="ClusterLock"/>). Stop the server first.
    /// </summary>
    public void Delete()
    {
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        File.Delete(PasswordFile);
    }

    /// <summary>pg_ctl stop -m fast: rolls back open transactions and disconnects clients, right for a dev server.</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(Program("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30"], cancellationToken);

    // PostgreSQL reads SIGTERM as a smart shutdown, which waits for every client to disconnect: a service's idle pooled
    // connections would hold it up until the supervisor gives up and kills it, and the next start would run crash
    // recovery. Supervisors (DCP, a terminal's Ctrl-C) send SIGTERM or SIGINT, so a small shell in front of the server
    // turns either into SIGINT, the fast shutdown: sessions are ended, the cluster is shut down cleanly.
    private const string FastShutdownScript = """
        "$@" &
        pid=$!
        trap 'kill -INT "$pid" 2>/dev/null' TERM INT
        while :; do
          wait "$pid"; status=$?
          kill -0 "$pid" 2>/dev/null || exit "$status"
        done
        """;

    /// <summary>
    /// The command that runs the server in the foreground, logging to standard error, and that shuts it down fast on
    /// SIGTERM or SIGINT. As root it runs as the postgres user through setpriv, which execs rather than forks. The port
    /// comes from <c>PGPORT</c> in the environment unless a setting names it.
    /// </summary>
    public (string FileName, IReadOnlyList<string> Arguments) ForegroundServerCommand(IEnumerable<KeyValuePair<string, string>> settings)
    {
        List<string> server = ["/bin/sh", "-c", FastShutdownScript, "postgres", Program("postgres"), "-D", DataDirectory];
        foreach (var (name, value) in settings)
        {
            server.AddRange(["-c", $"{name}={value}"]);
        }

        return ServiceUser.IsRoot
            ? ("setpriv", ["--reuid=" + ServiceUser.Name, "--regid=" + ServiceUser.Name, "--init-groups", "--", .. server])
            : (server[0], server[1..]);
    }

    internal string Program(string name) => Path.Combine(_binDirectory, name);

    private string PasswordFile => Path.Combine(RootDirectory, "superuser.password");

    private void WritePasswordFile(string password)
    {
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(PasswordFile, fileOptions);
        using var writer = new StreamWriter(stream);
        writer.Write(password);
    }

    private async Task RunInitDbAsync(CancellationToken cancellationToken) =>
        await CommandRunner.RunAsync(Program("initdb"),
        [
            "-D", DataDirectory, "-U", SuperUser, "--pwfile", PasswordFile,
            "--auth-host=scram-sha-256", "--auth-local=peer", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        ], cancellationToken);

    /// <summary>
    /// Settings that every start needs and that -c cannot carry (an empty value): loopback TCP only, no Unix socket (its
    /// default folder may not exist or belong to another server).
    /// </summary>
    private Task AppendStartSettingsAsync(int maxConnections, CancellationToken cancellationToken) =>
        File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"),
            $"""

            # DevLauncher embedded server
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            max_connections = {maxConnections}
            """, cancellationToken);

    private void CreateRootDirectory() => ServiceUser.CreateDirectory(RootDirectory);
}
