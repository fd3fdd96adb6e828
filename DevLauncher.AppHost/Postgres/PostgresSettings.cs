using DevLauncher.LocalPostgres;
using Microsoft.Extensions.Configuration;

namespace DevLauncher.AppHost.Postgres;

/// <summary>
/// The AppHost's PostgreSQL settings, read and checked before the model is built: a bad value is one line that names
/// its key and how to fix it, not an exception from deep inside the orchestrator.
/// </summary>
public sealed record PostgresSettings(PostgresMode Mode, string DataDirectory, string? BinDirectory, string? ExistingConnectionString)
{
    public const string ModeKey = "DevLauncher:Postgres:Mode";
    public const string DataDirectoryKey = "DevLauncher:Postgres:DataDirectory";
    public const string BinDirectoryKey = "DevLauncher:Postgres:BinDirectory";
    public const string InstallCommand = "bash scripts/install-prerequisites.sh";

    public static PostgresSettings Resolve(IConfiguration configuration, string appHostDirectory, IContainerRuntimeProbe probe)
    {
        var existing = configuration.GetConnectionString(ResourceNames.Database) is { Length: > 0 } value ? value : null;
        var dataDirectory = configuration[DataDirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, appHostDirectory)
            : Path.GetFullPath(Path.Combine(appHostDirectory, "..", ".devlauncher", "postgres"));
        var mode = ParseMode(configuration[ModeKey]);
        var binDirectory = configuration[BinDirectoryKey] is { Length: > 0 } bin ? bin : null;
        var settings = new PostgresSettings(mode, dataDirectory, binDirectory, existing);
        return mode switch
        {
            PostgresMode.Auto when existing is not null => settings with { Mode = PostgresMode.Existing },
            PostgresMode.Auto when probe.IsHealthy() => settings with { Mode = PostgresMode.Container },
            PostgresMode.Auto => settings with { Mode = PostgresMode.Local },
            PostgresMode.Existing when existing is null => throw new PostgresSettingsException(
                $"{ModeKey} is 'existing' but ConnectionStrings:{ResourceNames.Database} is not set: set it (dotnet user-secrets set " +
                $"ConnectionStrings:{ResourceNames.Database} \"Host=...;Database=...;Username=owner;Password=...\" --project DevLauncher.AppHost)."),
            _ => settings,
        };
    }

    /// <summary>The local cluster, or the one line that says how to get PostgreSQL's programs when they are missing.</summary>
    public PostgresCluster LocalCluster()
    {
        try
        {
            return new PostgresCluster(DataDirectory, BinDirectory);
        }
        catch (PostgresNotInstalledException)
        {
            throw new PostgresSettingsException(
                $"PostgreSQL's server programs (initdb, postgres) are not installed{(BinDirectory is null ? "" : $" in {BinDirectory}")} " +
                $"and no container runtime is in use: run `{InstallCommand}`, or start Docker or Podman, " +
                $"or set ConnectionStrings:{ResourceNames.Database} to an existing server.");
        }
    }

    private static PostgresMode ParseMode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return PostgresMode.Auto;
        }

        return Enum.TryParse<PostgresMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(value, out _)
            ? mode
            : throw new PostgresSettingsException($"{ModeKey} is '{value}'; use one of: auto, container, local, existing.");
    }
}

public sealed class PostgresSettingsException(string message) : Exception(message);
