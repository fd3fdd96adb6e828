using System.Net;

namespace DevLauncher.Tests.Infrastructure;

/// <summary>A service as the AppHost runs it: the built program on a free loopback port, and a client for it.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private ServiceProcess(ChildProcess process, int port)
    {
        Process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public ChildProcess Process { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>Auth, on <paramref name="connectionString"/>'s database, with any further <paramref name="settings"/> (environment variables).</summary>
    public static ServiceProcess StartAuth(string connectionString, IReadOnlyDictionary<string, string?>? settings = null) =>
        Start("services/Auth", "DevLauncher.Auth", connectionString, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()));

    /// <summary>
    /// The backend, on <paramref name="connectionString"/>'s database, with an auth that refuses every connection and
    /// any further <paramref name="settings"/> (environment variables).
    /// </summary>
    public static ServiceProcess StartBackend(string connectionString, IReadOnlyDictionary<string, string?>? settings = null) =>
        Start("services/Backend", "DevLauncher.Backend", connectionString,
            new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["services__auth__http__0"] = "http://127.0.0.1:1" });

    /// <summary>The backend, on <paramref name="connectionString"/>'s database, calling <paramref name="auth"/>.</summary>
    public static ServiceProcess StartBackend(string connectionString, ServiceProcess auth) =>
        Start("services/Backend", "DevLauncher.Backend", connectionString, new() { ["services__auth__http__0"] = auth.BaseAddress.ToString() });

    /// <summary>The frontend, on <paramref name="connectionString"/>'s database, calling <paramref name="auth"/> and <paramref name="backend"/>.</summary>
    public static ServiceProcess StartFrontend(string connectionString, ServiceProcess auth, ServiceProcess backend) =>
        Start("services/Frontend", "DevLauncher.Frontend", connectionString, new()
        {
            ["services__auth__http__0"] = auth.BaseAddress.ToString(),
            ["services__backend__http__0"] = backend.BaseAddress.ToString(),
        });

    /// <summary>
    /// Asks <paramref name="path"/> until it answers <paramref name="wanted"/> (or anything, when null) or a minute has
    /// passed; returns the last answer.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> EventuallyAnswersAsync(string path, HttpStatusCode? wanted = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(path);
                if (wanted is null || response.StatusCode == wanted || DateTime.UtcNow > deadline)
                {
                    return (response.StatusCode, await response.Content.ReadAsStringAsync());
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }

    private static ServiceProcess Start(string projectFolder, string assemblyName, string connectionString, Dictionary<string, string?> environment)
    {
        var port = FreePort.Next();
        environment["ConnectionStrings__appdb"] = connectionString;
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        return new ServiceProcess(ChildProcess.StartDotnet(RepositoryPaths.ProjectDll(projectFolder, assemblyName), environment), port);
    }
}
