using System.Diagnostics;
using DevLauncher.Contracts;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>
/// The migration worker as its own process (<c>dotnet DevLauncher.Migrations.dll</c>), configured as the AppHost
/// configures it: by environment variables, under the keys the AppHost uses.
/// </summary>
/// <param name="Folder">Its migration files; null for the ones built into it.</param>
/// <param name="Seeds">Its seeds folder; null for none, as on an existing server.</param>
/// <param name="ServicePassword">The password it gives the services' role after its run; null to leave the role without one.</param>
public sealed record WorkerProcess(string WorkerDll, string? Folder, string? Seeds = null, string? ServicePassword = null)
{
    public Process Start(string connectionString) => ChildProcess.Start("dotnet", [WorkerDll], Environment(connectionString));

    /// <returns>Its exit code.</returns>
    public async Task<int> RunAsync(string connectionString)
    {
        using var worker = Start(connectionString);
        await worker.WaitForExitAsync();
        return worker.ExitCode;
    }

    private IEnumerable<(string Key, string Value)> Environment(string connectionString)
    {
        yield return ("ConnectionStrings__appdb", connectionString);
        foreach (var (key, value) in new[] { (WorkerConfiguration.DirectoryKey, Folder), (WorkerConfiguration.SeedsDirectoryKey, Seeds), (WorkerConfiguration.ServicePasswordKey, ServicePassword) })
        {
            if (value is not null)
            {
                yield return (WorkerConfiguration.EnvironmentVariable(key), value);
            }
        }
    }
}
