using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace DevLauncher.Tests.Infrastructure;

/// <summary>What the Standalone host's --ready-file says once every service is healthy.</summary>
public sealed record ReadyInfo(string Frontend, string Auth, string Backend, string Database, string ServiceDatabase);

/// <summary>
/// The real Standalone host (what users run), as a process with its own data directory and ports. With --database it
/// derives the service role's password from the owner's, as the test fixture does, so it sets the one the other tests
/// on that server use.
/// </summary>
public sealed class StandaloneHost : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _dataDirectory;
    private readonly string _readyFile;

    private StandaloneHost(ChildProcess process, string dataDirectory, int portBase)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        _readyFile = Path.Combine(dataDirectory, "ready.json");
        PortBase = portBase;
    }

    public int PortBase { get; }

    public int Pid => _process.Id;

    public string Output => _process.Output;

    public string DataDirectory => _dataDirectory;

    /// <param name="database">An existing database (--database); null runs the host's own embedded PostgreSQL.</param>
    public static StandaloneHost Start(string? database, params string[] extraArguments)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"devlauncher-standalone-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);

        var portBase = FreePortBase();
        var arguments = new List<string> { "--port-base", portBase.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data-dir", dataDirectory, "--ready-file", Path.Combine(dataDirectory, "ready.json") };
        if (database is not null)
        {
            arguments.AddRange(["--database", database]);
        }

        arguments.AddRange(extraArguments);
        var process = ChildProcess.StartDotnetAsJob(RepositoryPaths.ProjectDll("DevLauncher.Standalone", "DevLauncher.Standalone"),
            new Dictionary<string, string?>(), [.. arguments]);
        return new StandaloneHost(process, dataDirectory, portBase);
    }

    /// <summary>Waits for the ready file; fails with the host's output if it exits or takes too long.</summary>
    public async Task<ReadyInfo> WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(_readyFile))
            {
                var json = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(_readyFile))!;
                return new ReadyInfo(json["frontend"], json["auth"], json["backend"], json["database"], json["serviceDatabase"]);
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Standalone host exited with {_process.ExitCode} before it was ready:{Environment.NewLine}{Output}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The Standalone host was not ready in time:{Environment.NewLine}{Output}");
    }

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>What a service manager's stop sends: SIGTERM to the host alone.</summary>
    public void SendSigterm() => _process.SendSigterm();

    /// <summary>What Ctrl-C in a terminal does: SIGINT to the host and to every process it started, all at once.</summary>
    public void SendCtrlC() => _process.SendCtrlC();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            SendSigterm();
            try
            {
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                // DisposeAsync below kills the tree.
            }
        }

        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server that is still shutting down may hold files; the folder is in /tmp.
        }
    }

    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Three consecutive free loopback ports, so parallel tests never collide.</summary>
    private static int FreePortBase()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var candidate = Random.Shared.Next(20000, 45000);
            if (Enumerable.Range(candidate, 3).All(IsFree))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No three consecutive free ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
