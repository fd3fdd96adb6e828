using System.ComponentModel.DataAnnotations;

namespace DevLauncher.Migrations.Engine;

public sealed class MigrationOptions : IValidatableObject
{
    public const string SectionName = "Migrations";

    /// <summary>From <c>ConnectionStrings:appdb</c> (Aspire's key), not from this section.</summary>
    [Required(ErrorMessage = "No connection string: set ConnectionStrings__appdb (the AppHost sets it).")]
    public string? ConnectionString { get; set; }

    /// <summary>How long to wait for another worker's lock before giving up with exit code 3.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A folder of <c>NNNN_description.sql</c> files used instead of the embedded ones.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// <c>Migrations:SeedsDirectory</c>: a folder of <c>.sql</c> files of development data, run in file-name order, in
    /// one transaction, once, on a database this worker created; never set outside development.
    /// </summary>
    public string? SeedsDirectory { get; set; }

    /// <summary>
    /// <c>Migrations:PlanOnly</c>: read the history and the files under the lock and say what a run would apply, with
    /// the same checks (drift, unknown, out of order, files that cannot run), but apply nothing and create nothing.
    /// </summary>
    public bool PlanOnly { get; set; }

    /// <summary>
    /// From <c>Database:ServicePassword</c>: the password of the services' least-privilege login role. When unset the
    /// role cannot log in, and the services must use another login.
    /// </summary>
    public string? ServicePassword { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LockTimeout <= TimeSpan.Zero || LockTimeout > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult(
                $"Migrations:LockTimeout must be between 00:00:00.001 and 1.00:00:00, not {LockTimeout}.", [nameof(LockTimeout)]);
        }

        if (ConnectionString is not null && ConnectionStringCheck.Error(ConnectionString) is { } connectionStringError)
        {
            yield return new ValidationResult(connectionStringError, [nameof(ConnectionString)]);
        }

        if (MissingFolder(nameof(Directory), Directory) is { } missingMigrations)
        {
            yield return missingMigrations;
        }

        if (MissingFolder(nameof(SeedsDirectory), SeedsDirectory) is { } missingSeeds)
        {
            yield return missingSeeds;
        }
    }

    private static ValidationResult? MissingFolder(string property, string? path) =>
        !string.IsNullOrWhiteSpace(path) && !System.IO.Directory.Exists(path)
            ? new ValidationResult($"{SectionName}:{property} '{Path.GetFullPath(path)}' does not exist.", [property])
            : null;
}
