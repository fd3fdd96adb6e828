namespace DevLauncher.Tests.Infrastructure;

/// <summary>The built migration worker as an OS process, configured only through Aspire's environment keys.</summary>
public static class WorkerProcess
{
    public static ChildProcess Start(string connectionString, string? directory = null, TimeSpan? lockTimeout = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__appdb"] = connectionString,
            ["Migrations__Directory"] = directory,
            ["Migrations__LockTimeout"] = (lockTimeout ?? TimeSpan.FromMinutes(1)).ToString(),
        };
        return ChildProcess.StartDotnet(RepositoryPaths.ProjectDll("services/Migrations", "DevLauncher.Migrations"), environment);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string connectionString, string? directory = null, TimeSpan? lockTimeout = null)
    {
        await using var process = Start(connectionString, directory, lockTimeout);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return (exitCode, process.Output);
    }

    /// <summary>The worker with exactly these environment variables as its configuration, bad values included.</summary>
    public static async Task<(int ExitCode, string Output)> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string?> environment)
    {
        await using var process = ChildProcess.StartDotnet(RepositoryPaths.ProjectDll("services/Migrations", "DevLauncher.Migrations"), environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return (exitCode, process.Output);
    }
}
