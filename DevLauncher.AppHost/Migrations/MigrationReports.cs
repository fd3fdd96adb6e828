using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Migrations;

/// <summary>
/// Where the worker's runs leave their reports: one file per replica (the orchestrator evaluates a resource's
/// environment once for all its replicas, and expands the template in the path to each one's name, which is unique to
/// the run of the AppHost), taken and deleted as soon as a run ends. The folder is the user's and is shared by every
/// AppHost: it stays, empty, so one that was killed leaves at most a report behind, not a folder per run.
/// </summary>
public sealed class MigrationReports
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"devlauncher-migration-reports-{Environment.UserName}");

    public static string EnvironmentVariable { get; } = WorkerSettings.EnvironmentVariable(WorkerSettings.ReportFileKey);

    /// <summary>A file of its own, for a run of the worker outside the orchestrator (a plan).</summary>
    public string NewPath()
    {
        Directory.CreateDirectory(_directory);
        return Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
    }

    /// <summary>A path the orchestrator makes each replica's own: it expands the template to the replica's name.</summary>
    public string ReplicaPathTemplate()
    {
        Directory.CreateDirectory(_directory);
        return Path.Combine(_directory, "{{- .Name -}}.json");
    }

    /// <summary>The path a replica got, as its snapshot shows its environment; null if it has none (never started).</summary>
    public static string? PathOf(CustomResourceSnapshot snapshot) =>
        snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == EnvironmentVariable)?.Value is { } path && !path.Contains("{{", StringComparison.Ordinal)
            ? path
            : null;

    /// <summary>The report a finished run wrote, then deleted; null when it wrote none (killed, or never started).</summary>
    public static async Task<MigrationReport?> TakeAsync(string? path, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return null;
        }

        var report = await ContractsJson.ReadReportAsync(path, cancellationToken);
        File.Delete(path);
        return report;
    }
}
