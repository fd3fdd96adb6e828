namespace DevLauncher.Contracts;

/// <summary>The migration worker's configuration keys that its hosts set.</summary>
public static class WorkerConfiguration
{
    /// <summary>True: read the history and the files, report what a run would do, apply nothing.</summary>
    public const string PlanOnlyKey = "Migrations:PlanOnly";

    /// <summary>
    /// A folder: the worker writes its <see cref="MigrationReport"/> there as JSON before it exits, to the file
    /// <see cref="MigrationReportFile.PathIn"/> names for its replica.
    /// </summary>
    public const string ReportDirectoryKey = "Migrations:ReportDirectory";

    public const string DirectoryKey = "Migrations:Directory";

    /// <summary>A folder of development data: the worker seeds a database it created, once. The AppHost sets it only on servers it runs.</summary>
    public const string SeedsDirectoryKey = "Migrations:SeedsDirectory";

    /// <summary>The password the worker gives the services' login role after every run.</summary>
    public const string ServicePasswordKey = "Database:ServicePassword";

    /// <summary>The environment variable .NET configuration reads for <paramref name="key"/>.</summary>
    public static string EnvironmentVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
