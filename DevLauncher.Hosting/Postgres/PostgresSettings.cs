using DevLauncher.LocalPostgres;


namespace DevLauncher.Hosting.Postgres;

/// <summary>
/// The AppHost's PostgreSQL settings, read and checked before the model is built: a bad value is one line that names
/// its key and how to fix it, not an exception from deep inside the orchestrator. Reading them touches no server and
/// starts no process; only whether PostgreSQL's programs are installed is looked up, as files.
/// </summary>
/// <param name="DataDirectoryIsExplicit">True when the user chose the data folder: it is then never moved elsewhere.</param>
/// <param name="DeleteData">Delete the local server's data folder before it starts (<see cref="DeleteDataKey"/>).</param>
internal sealed record PostgresSettings(
    PostgresMode Mode, string DataDirectory, bool DataDirectoryIsExplicit, string? BinDirectory, string? ExistingConnectionString, bool DeleteData)
{
    public const string ModeKey = "DevLauncher:Postgres:Mode";
    public const string DataDirectoryKey = "DevLauncher:Postgres:DataDirectory";
    public const string BinDirectoryKey = "DevLauncher:Postgres:BinDirectory";

    /// <summary>pgAdmin beside the container.</summary>
    public const string PgAdminKey = "DevLauncher:PgAdmin";

    /// <summary>Start from an empty local server: its data folder is deleted before it starts.</summary>
    public const string DeleteDataKey = "DevLauncher:Postgres:DeleteData";

    public const string InstallCommand = "bash scripts/install-prerequisites.sh";

    /// <summary>The key <see cref="DeleteDataKey"/> had before Reset database became a dashboard command.</summary>
    private const string FormerDeleteDataKey = "DevLauncher:Postgres:Reset";

    /// <summary>The app database's resource name: <c>ConnectionStrings:{DatabaseName}</c> names an existing server.</summary>
    private string DatabaseName { get; init; } = "";

    /// <summary>True when auto chose the container because PostgreSQL's programs are not installed.</summary>
    private bool ModeWasChosen { get; init; }

    public static PostgresSettings Resolve(IConfiguration configuration, string appHostDirectory, bool isRunMode, string databaseName)
    {
        var existing = configuration.GetConnectionString(databaseName) is { Length: > 0 } value ? value : null;
        var binDirectory = configuration[BinDirectoryKey] is { Length: > 0 } bin ? bin : null;
        var settings = new PostgresSettings(ParseMode(configuration[ModeKey]), DefaultDataDirectory(appHostDirectory), false, binDirectory, existing,
            DeleteData: isRunMode && SettingValues.Bool(configuration, DeleteDataKey, @default: false))
        {
            DatabaseName = databaseName,
        };
        if (configuration[DataDirectoryKey] is { Length: > 0 } configured)
        {
            settings = settings with { DataDirectory = Path.GetFullPath(configured, appHostDirectory), DataDirectoryIsExplicit = true };
        }

        RefuseFormerKey(configuration);
        // Publishing needs no server to exist: an existing server's connection string is a parameter the deployment fills in.
        return !isRunMode && settings.Mode == PostgresMode.Existing ? settings : settings.WithModeChosen().CheckDeleteData();
    }

    private PostgresSettings WithModeChosen() => Mode switch
    {
        PostgresMode.Auto when ExistingConnectionString is not null => this with { Mode = PostgresMode.Existing },
        PostgresMode.Auto when PostgresBinaries.TryFind(BinDirectory) is not null => this with { Mode = PostgresMode.Local },
        PostgresMode.Auto => this with { Mode = PostgresMode.Container, ModeWasChosen = true },
        PostgresMode.Existing when ExistingConnectionString is null => throw new DevLauncherStartException(
            $"{ModeKey} is 'existing' but ConnectionStrings:{DatabaseName} is not set: set it (dotnet user-secrets set " +
            $"ConnectionStrings:{DatabaseName} \"Host=...;Database=...;Username=owner;Password=...\" in the AppHost's folder)."),
        _ => this,
    };

    /// <summary>Only the local server's folder is the AppHost's to delete.</summary>
    private PostgresSettings CheckDeleteData() => DeleteData && Mode != PostgresMode.Local
        ? throw new DevLauncherStartException(Mode == PostgresMode.Container
            ? $"{DeleteDataKey} deletes the local server's data folder, and postgres is a container here: stop the AppHost, remove the " +
              "postgres container (docker ps -a), then its data volume (docker volume ls, the one ending in -postgres-data) with docker volume rm."
            : $"{DeleteDataKey} does not apply to an existing server (ConnectionStrings:{DatabaseName}): its database is not the " +
              $"AppHost's to delete; drop and re-create it yourself, or leave {DeleteDataKey} unset.")
        : this;

    /// <summary>The line to stop with when the container runtime does not answer, by why a container was chosen.</summary>
    public string WhyNoContainer(string runtime) => ModeWasChosen
        ? $"PostgreSQL's server programs (initdb, postgres) are not installed{(BinDirectory is null ? "" : $" in {BinDirectory}")} " +
          $"and the container runtime ({runtime}) does not answer: run `{InstallCommand}`, or start Docker or Podman, " +
          $"or set ConnectionStrings:{DatabaseName} to an existing server."
        : $"{ModeKey} is container, but the container runtime ({runtime}) does not answer: start it, or set {ModeKey} to local or auto.";

    private static string DefaultDataDirectory(string appHostDirectory) =>
        Path.GetFullPath(Path.Combine(appHostDirectory, "..", ".devlauncher", "postgres"));

    private static void RefuseFormerKey(IConfiguration configuration)
    {
        if (configuration[FormerDeleteDataKey] is { Length: > 0 })
        {
            throw new DevLauncherStartException(
                $"{FormerDeleteDataKey} is now {DeleteDataKey} (it deletes the whole local server); to empty the database, use Reset database on appdb instead.");
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
            : throw new DevLauncherStartException($"{ModeKey} is '{value}'; use one of: auto, container, local, existing.");
    }
}
