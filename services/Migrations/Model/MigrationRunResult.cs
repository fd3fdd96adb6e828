namespace DevLauncher.Migrations.Model;

public enum MigrationRunStatus
{
    Applied,
    UpToDate,
    LockTimeout,
    MigrationFailed,
    ValidationFailed,
    ConfigurationError,
}

/// <summary>What one run did; <see cref="ExitCode"/> is what the process exits with.</summary>
public sealed record MigrationRunResult(MigrationRunStatus Status, IReadOnlyList<long> AppliedVersions, string? Error = null)
{
    public int ExitCode => Status switch
    {
        MigrationRunStatus.Applied or MigrationRunStatus.UpToDate => ExitCodes.Success,
        MigrationRunStatus.LockTimeout => ExitCodes.LockTimeout,
        MigrationRunStatus.MigrationFailed => ExitCodes.MigrationFailed,
        MigrationRunStatus.ValidationFailed => ExitCodes.ValidationFailed,
        MigrationRunStatus.ConfigurationError => ExitCodes.Configuration,
        _ => ExitCodes.Unexpected,
    };

    public static MigrationRunResult Failed(MigrationRunStatus status, string error) => new(status, [], error);
}
