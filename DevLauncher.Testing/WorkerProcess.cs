using DevLauncher.Contracts;

namespace DevLauncher.Testing;

/// <summary>
/// The built migration worker as an OS process (<c>dotnet DevLauncher.Migrations.dll</c>), configured as the AppHost
/// configures it: by environment variables, under the keys the AppHost uses.
/// </summary>
/// <param name="Folder">Its migration files; null for the ones built into it.</param>
/// <param name="Seeds">Its seeds folder; null for none, as on an existing server.</param>
/// <param name="ServicePassword">The password it gives the services' role after its run; null to leave the role without one.</param>
/// <param name="LockTimeout">How long it waits for the migration lock; null for its default.</param>
public sealed record WorkerProcess(string? Folder = null, string? Seeds = null, string? ServicePassword = null, TimeSpan? LockTimeout = null)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    public static string Dll => RepositoryPaths.ProjectDll("services/Migrations", "DevLauncher.Migrations");

    public ChildProcess Start(string connectionString) => ChildProcess.StartDotnet(Dll, Environment(connectionString));

    public Task<(int ExitCode, string Output)> RunAsync(string connectionString) => RunWithEnvironmentAsync(Environment(connectionString));

    /// <summary>The worker with exactly these environment variables as its configuration, bad values included.</summary>
    public static async Task<(int ExitCode, string Output)> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string?> environment)
    {
        await using var process = ChildProcess.StartDotnet(Dll, environment);
        var exitCode = await process.WaitForExitAsync(RunTimeout);
        return (exitCode, process.Output);
    }

    private Dictionary<string, string?> Environment(string connectionString) => new()
    {
        ["ConnectionStrings__appdb"] = connectionString,
        [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.DirectoryKey)] = Folder,
        [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.SeedsDirectoryKey)] = Seeds,
        [WorkerConfiguration.EnvironmentVariable(WorkerConfiguration.ServicePasswordKey)] = ServicePassword,
        ["Migrations__LockTimeout"] = LockTimeout?.ToString(),
    };
}
