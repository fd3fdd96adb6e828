using DevLauncher.Hosting.Migrations;
using DevLauncher.Hosting.Postgres;
using DevLauncher.Migrations.Engine;
using DevLauncher.SchemaLoop;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.Hosting.Database;

/// <summary>
/// The schema loop of <c>appdb</c> on a server the AppHost runs: the branch's database, chosen at start and created on
/// its first start from the database of the branch it follows; the snapshot before every run that Undo restores; and
/// the template Reset database copies. The library (DevLauncher.SchemaLoop) does the server's work; this is where it
/// meets the app: the settings, the files, the dashboard's properties and the resource's log.
/// </summary>
internal sealed class AppDatabaseLoop(
    AppDatabaseResource database,
    AppDatabaseAnnotation devDatabase,
    TimeProvider time,
    ResourceNotificationService notifications,
    ResourceLoggerService loggers,
    IHostApplicationLifetime lifetime)
{

    private readonly Lock _templateBuild = new();
    private readonly Lock _dropping = new();
    private Task _drop = Task.CompletedTask;
    private (string Fingerprint, Task<string> Build)? _building;
    private GitHead? _head;
    private DevServer? _server;
    private volatile bool _ready;

    private DatabaseSettings Settings => devDatabase.Settings;

    /// <summary>The worker's files: the loop has none to work with until a worker is attached.</summary>
    private WorkerFiles Files => devDatabase.RequiredFiles;

    public string DatabaseName => database.DatabaseName.Value ?? throw new InvalidOperationException("The database is chosen when the app starts.");

    public DevServer Server => _server ?? throw new InvalidOperationException("The server is not up yet.");

    /// <summary>appdb's health: not before the branch's database is there and its snapshot taken.</summary>
    public HealthCheckResult Ready() => _ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("preparing the branch's database");

    /// <summary>When the app starts: the database's name from the checkout's HEAD.</summary>
    public void ChooseDatabase()
    {
        _head = Settings.PerBranch ? GitCheckout.ReadHead(Settings.Checkout) : null;
        database.DatabaseName.Set(DevDatabaseNames.ForHead(database.Name, _head));
    }

    /// <summary>
    /// Whenever the server is up: the branch's database is created on its first start (a copy of the branch database
    /// with the longest prefix of this branch's files), and copied once more if the worker has files to apply to it, so
    /// that its run can be undone.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _ready = false;
        _server = new DevServer((await database.Parent.ConnectionStringExpression.GetValueAsync(cancellationToken))!);
        var versions = Files.Versions();
        var started = time.GetTimestamp();
        var result = await new BranchDatabases(Server, database.Name, time).EnsureAsync(DatabaseName, _head, versions, cancellationToken);
        await SnapshotIfPendingAsync(versions, cancellationToken);
        Logger().LogInformation("Database {Database} for {Branch} ready in {ElapsedMs} ms{Copied}", DatabaseName, Describe(_head), (long)time.GetElapsedTime(started).TotalMilliseconds,
            result.CopiedFrom is { } from ? $", copied from {from}" : result.Created ? ", created empty" : "");
        await PublishAsync(result);
        _ready = true;
        DropDiscardedLater(); // what an AppHost stopped before its drop left behind
    }

    /// <summary>Before a run of the worker that was started by a command: a copy, if it has anything to apply.</summary>
    public async Task BeforeRunAsync(CancellationToken cancellationToken)
    {
        // The start's first run is prepared with the database (PrepareAsync), before appdb is healthy.
        if (_ready)
        {
            await SnapshotIfPendingAsync(Files.Versions(), cancellationToken);
        }
    }

    /// <summary>After a run: the copy taken before it becomes what Undo restores, if the run applied files.</summary>
    public async Task AfterRunAsync(IReadOnlyList<string> applied, CancellationToken cancellationToken)
    {
        await Undo().CompleteAsync(DatabaseName, applied, cancellationToken);
        DropDiscardedLater();
    }

    public Task<UndoStatus> UndoStatusAsync(CancellationToken cancellationToken) =>
        Undo().StatusAsync(DatabaseName, cancellationToken);

    public async Task<UndoStatus> UndoAsync(CancellationToken cancellationToken)
    {
        var undone = await Undo().RestoreAsync(DatabaseName, BranchMetadata(), cancellationToken);
        DropDiscardedLater();
        return undone;
    }

    /// <summary>
    /// The pending migrations run on a copy of the branch's database, with what PostgreSQL reports for each statement;
    /// the copy is discarded, and dropped after the command answers. The database, its history and the Undo snapshot
    /// are not touched.
    /// </summary>
    public async Task<MigrationPreview> PreviewAsync(CancellationToken cancellationToken)
    {
        var preview = await new MigrationPreviews(Server, database.Name, time).RunAsync(DatabaseName, Files.Load(), cancellationToken);
        DropDiscardedLater();
        return preview;
    }

    /// <summary>Replaces the database with a copy of the template for the current files, building it first if it is not.</summary>
    /// <returns>What was done, for the command's result.</returns>
    public async Task<string> ResetAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var template = await EnsureTemplateAsync(cancellationToken);
        await new Templates(Server, database.Name, time).ResetAsync(DatabaseName, template, BranchMetadata(), cancellationToken);
        await Undo().DiscardAsync(DatabaseName, cancellationToken);
        DropDiscardedLater();
        return $"{DatabaseName} copied from {template} in {(long)time.GetElapsedTime(started).TotalMilliseconds} ms";
    }

    /// <summary>The template for the current migration and seed files, built if it is not (one build at a time).</summary>
    public async Task<string> EnsureTemplateAsync(CancellationToken cancellationToken)
    {
        var fingerprint = Files.Load().Fingerprint;
        var templates = new Templates(Server, database.Name, time);
        var template = await templates.FindAsync(fingerprint, cancellationToken) ?? await BuildOnceAsync(templates, fingerprint, cancellationToken);
        await PublishTemplateAsync($"{template}, for the current files");
        return template;
    }

    /// <summary>One build per set of files at a time: a Reset pressed during the background build waits for it.</summary>
    private Task<string> BuildOnceAsync(Templates templates, string fingerprint, CancellationToken cancellationToken)
    {
        lock (_templateBuild)
        {
            if (_building is not { } building || building.Fingerprint != fingerprint || building.Build is { IsFaulted: true } or { IsCanceled: true })
            {
                building = (fingerprint, BuildTemplateAsync(templates, fingerprint, cancellationToken));
                _building = building;
            }

            return building.Build;
        }
    }

    public Task<IReadOnlyList<BranchDatabaseInfo>> ListAsync(CancellationToken cancellationToken) =>
        new BranchDatabases(Server, database.Name, time)
            .ListAsync(DatabaseName, GitCheckout.LocalBranches(Settings.Checkout), cancellationToken);

    public Task<IReadOnlyList<string>> DeleteDatabasesOfDeletedBranchesAsync(CancellationToken cancellationToken) =>
        new BranchDatabases(Server, database.Name, time)
            .DeleteDatabasesOfDeletedBranchesAsync(DatabaseName, GitCheckout.LocalBranches(Settings.Checkout), cancellationToken);

    /// <summary>
    /// Drops the databases Reset, Undo and the snapshots discarded, after the command has answered and one drop after another,
    /// until the app stops; what a stop interrupts is dropped at the next start.
    /// </summary>
    private void DropDiscardedLater()
    {
        lock (_dropping)
        {
            _drop = _drop.ContinueWith(_ => DropDiscardedAsync(), TaskScheduler.Default).Unwrap();
        }
    }

    private async Task DropDiscardedAsync()
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            var dropped = await Server.DropDiscardedAsync(database.Name, stopping);
            Logger().LogDebug("Dropped {Count} discarded databases", dropped);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            Logger().LogInformation("Discarded databases are dropped at the next start: {Reason}", ex.Message);
        }
    }

    private async Task SnapshotIfPendingAsync(IReadOnlyList<VersionedFile> versions, CancellationToken cancellationToken)
    {
        var history = await Server.ReadHistoryAsync(DatabaseName, cancellationToken);
        // A database with no history yet has nothing to go back to: undoing its first run would leave the services no schema.
        if (history.Count > 0 && HistoryPrefix.Length(versions, history) is { } applied && applied < versions.Count)
        {
            var version = history.Count == 0 ? Contracts.SchemaVersion.None : Contracts.SchemaVersion.Format(history[^1].Version);
            await new UndoSnapshots(Server, database.Name, time).TakeAsync(DatabaseName, version, cancellationToken);
        }
    }

    private async Task<string> BuildTemplateAsync(Templates templates, string fingerprint, CancellationToken cancellationToken)
    {
        var logger = Logger();
        await PublishTemplateAsync("building");
        var started = time.GetTimestamp();
        string template;
        try
        {
            template = await templates.BuildAsync(fingerprint, (connectionString, ct) => MigrateAsync(connectionString, ct), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await PublishTemplateAsync($"not built: {ex.Message}");
            throw;
        }

        logger.LogInformation("Template {Template} built in {ElapsedMs} ms", template, (long)time.GetElapsedTime(started).TotalMilliseconds);
        return template;
    }

    /// <summary>The migrations and seeds applied to an empty database by the worker's engine, in this process.</summary>
    private async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        var options = new MigrationOptions { ConnectionString = connectionString, Directory = Files.MigrationsDirectory, SeedsDirectory = Files.SeedsDirectory };
        using var resourceLogging = ResourceLogging.For(database, loggers);
        var result = await MigrationEngine.RunAsync(options, resourceLogging, time, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"The template could not be built: {result.Failure?.Reason ?? result.Outcome.ToString()}");
        }
    }

    private UndoSnapshots Undo() => new(Server, database.Name, time);

    private DevDatabaseMetadata BranchMetadata() => new(DevDatabaseKind.Branch, database.Name)
    {
        Branch = _head?.Branch,
        Commit = _head?.Commit,
        CreatedAt = time.GetUtcNow(),
    };

    private Task PublishAsync(BranchDatabaseResult result) =>
        notifications.PublishUpdateAsync(database, s => s with
        {
            Properties = s.Properties.With(
                ResourceProperties.Of(DevLauncherProperties.Branch, "Branch", Describe(_head), highlighted: true),
                ResourceProperties.Of(DevLauncherProperties.DatabaseName, "Database", DatabaseName, highlighted: true),
                ResourceProperties.Of(DevLauncherProperties.CopiedFrom, "Created from", result switch
                {
                    { CopiedFrom: { } from } => $"{from}, at this start",
                    { Created: true } => "empty, at this start",
                    _ => "an earlier start",
                })),
        });

    private Task PublishTemplateAsync(string template) =>
        notifications.PublishUpdateAsync(database, s => s with
        {
            Properties = s.Properties.With(ResourceProperties.Of(DevLauncherProperties.Template, "Template", template)),
        });

    private string Describe(GitHead? head) => head switch
    {
        { Branch: { } branch } => branch,
        { Commit: { } commit } => $"detached HEAD at {commit[..Math.Min(12, commit.Length)]}",
        _ when !Settings.PerBranch => $"off ({DatabaseSettings.PerBranchKey}=false)",
        _ => "not a git checkout",
    };

    private ILogger Logger() => loggers.GetLogger(database);
}
