using System.Diagnostics;
using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Postgres;
using DevLauncher.Migrations.Engine;
using DevLauncher.SchemaLoop;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.AppHost.Database;

/// <summary>
/// The schema loop of <c>appdb</c> on a server the AppHost runs: the branch's database, chosen at start and created on
/// its first start from the database of the branch it follows; the snapshot before every run that Undo restores; and
/// the template Reset database copies. The library (DevLauncher.SchemaLoop) does the server's work; this is where it
/// meets the app: the settings, the files, the dashboard's properties and the resource's log.
/// </summary>
internal sealed class AppDatabaseLoop(AppDatabaseResource database, DatabaseSettings settings, WorkerFiles files)
{
    public const string BranchProperty = "database.branch";
    public const string NameProperty = "database.name";
    public const string CopiedFromProperty = "database.copied_from";
    public const string TemplateProperty = "database.template";

    private readonly Lock _templateBuild = new();
    private readonly Lock _dropping = new();
    private Task _drop = Task.CompletedTask;
    private (string Fingerprint, Task<string> Build)? _building;
    private GitHead? _head;
    private DevServer? _server;
    private volatile bool _ready;

    public string DatabaseName => database.DatabaseName.Value ?? throw new InvalidOperationException("The database is chosen when the app starts.");

    public DevServer Server => _server ?? throw new InvalidOperationException("The server is not up yet.");

    /// <summary>appdb's health: not before the branch's database is there and its snapshot taken.</summary>
    public HealthCheckResult Ready() => _ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("preparing the branch's database");

    /// <summary>When the app starts: the database's name from the checkout's HEAD.</summary>
    public void ChooseDatabase()
    {
        _head = settings.PerBranch ? GitCheckout.ReadHead(settings.Checkout) : null;
        database.DatabaseName.Set(DevDatabaseNames.ForHead(database.Name, _head));
    }

    /// <summary>
    /// Whenever the server is up: the branch's database is created on its first start (a copy of the branch database
    /// with the longest prefix of this branch's files), and copied once more if the worker has files to apply to it, so
    /// that its run can be undone.
    /// </summary>
    public async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        _ready = false;
        _server = new DevServer((await database.Parent.ConnectionStringExpression.GetValueAsync(cancellationToken))!);
        var time = services.GetRequiredService<TimeProvider>();
        var versions = files.Versions();
        var started = time.GetTimestamp();
        var result = await new BranchDatabases(Server, database.Name, time).EnsureAsync(DatabaseName, _head, versions, cancellationToken);
        await SnapshotIfPendingAsync(versions, time, cancellationToken);
        Logger(services).LogInformation("Database {Database} for {Branch} ready in {ElapsedMs} ms{Copied}", DatabaseName, Describe(_head), (long)time.GetElapsedTime(started).TotalMilliseconds,
            result.CopiedFrom is { } from ? $", copied from {from}" : result.Created ? ", created empty" : "");
        await PublishAsync(services, result);
        _ready = true;
        DropDiscardedLater(services); // what an AppHost stopped before its drop left behind
    }

    /// <summary>Before a run of the worker that was started by a command: a copy, if it has anything to apply.</summary>
    public async Task BeforeRunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // The start's first run is prepared with the database (PrepareAsync), before appdb is healthy.
        if (_ready)
        {
            await SnapshotIfPendingAsync(files.Versions(), services.GetRequiredService<TimeProvider>(), cancellationToken);
        }
    }

    /// <summary>After a run: the copy taken before it becomes what Undo restores, if the run applied files.</summary>
    public async Task AfterRunAsync(IReadOnlyList<string> applied, IServiceProvider services, CancellationToken cancellationToken)
    {
        await Undo(services).CompleteAsync(DatabaseName, applied, cancellationToken);
        DropDiscardedLater(services);
    }

    public Task<UndoStatus> UndoStatusAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        Undo(services).StatusAsync(DatabaseName, cancellationToken);

    public async Task<UndoStatus> UndoAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var undone = await Undo(services).RestoreAsync(DatabaseName, BranchMetadata(services), cancellationToken);
        DropDiscardedLater(services);
        return undone;
    }

    /// <summary>Replaces the database with a copy of the template for the current files, building it first if it is not.</summary>
    /// <returns>What was done, for the command's result.</returns>
    public async Task<string> ResetAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var started = time.GetTimestamp();
        var template = await EnsureTemplateAsync(services, cancellationToken);
        await new Templates(Server, database.Name, time).ResetAsync(DatabaseName, template, BranchMetadata(services), cancellationToken);
        await Undo(services).DiscardAsync(DatabaseName, cancellationToken);
        DropDiscardedLater(services);
        return $"{DatabaseName} copied from {template} in {(long)time.GetElapsedTime(started).TotalMilliseconds} ms";
    }

    /// <summary>The template for the current migration and seed files, built if it is not (one build at a time).</summary>
    public async Task<string> EnsureTemplateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var fingerprint = files.Load().Fingerprint;
        var templates = new Templates(Server, database.Name, services.GetRequiredService<TimeProvider>());
        var template = await templates.FindAsync(fingerprint, cancellationToken) ?? await BuildOnceAsync(templates, fingerprint, services, cancellationToken);
        await PublishTemplateAsync(services, $"{template}, for the current files");
        return template;
    }

    /// <summary>One build per set of files at a time: a Reset pressed during the background build waits for it.</summary>
    private Task<string> BuildOnceAsync(Templates templates, string fingerprint, IServiceProvider services, CancellationToken cancellationToken)
    {
        lock (_templateBuild)
        {
            if (_building is not { } building || building.Fingerprint != fingerprint || building.Build is { IsFaulted: true } or { IsCanceled: true })
            {
                building = (fingerprint, BuildTemplateAsync(templates, fingerprint, services, cancellationToken));
                _building = building;
            }

            return building.Build;
        }
    }

    public Task<IReadOnlyList<BranchDatabaseInfo>> ListAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        new BranchDatabases(Server, database.Name, services.GetRequiredService<TimeProvider>())
            .ListAsync(DatabaseName, GitCheckout.LocalBranches(settings.Checkout), cancellationToken);

    public Task<IReadOnlyList<string>> DeleteGoneAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        new BranchDatabases(Server, database.Name, services.GetRequiredService<TimeProvider>())
            .DeleteDatabasesOfDeletedBranchesAsync(DatabaseName, GitCheckout.LocalBranches(settings.Checkout), cancellationToken);

    /// <summary>
    /// Drops the databases Reset, Undo and the snapshots discarded, after the command has answered and one drop after another,
    /// until the app stops; what a stop interrupts is dropped at the next start.
    /// </summary>
    private void DropDiscardedLater(IServiceProvider services)
    {
        lock (_dropping)
        {
            _drop = _drop.ContinueWith(_ => DropDiscardedAsync(services), TaskScheduler.Default).Unwrap();
        }
    }

    private async Task DropDiscardedAsync(IServiceProvider services)
    {
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            var dropped = await Server.DropDiscardedAsync(database.Name, stopping);
            Logger(services).LogDebug("Dropped {Count} discarded databases", dropped);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            Logger(services).LogInformation("Discarded databases are dropped at the next start: {Reason}", ex.Message);
        }
    }

    private async Task SnapshotIfPendingAsync(IReadOnlyList<VersionedFile> versions, TimeProvider time, CancellationToken cancellationToken)
    {
        var history = await Server.ReadHistoryAsync(DatabaseName, cancellationToken);
        // A database with no history yet has nothing to go back to: undoing its first run would leave the services no schema.
        if (history.Count > 0 && HistoryPrefix.Length(versions, history) is { } applied && applied < versions.Count)
        {
            var version = history.Count == 0 ? Contracts.SchemaVersion.None : Contracts.SchemaVersion.Format(history[^1].Version);
            await new UndoSnapshots(Server, database.Name, time).TakeAsync(DatabaseName, version, cancellationToken);
        }
    }

    private async Task<string> BuildTemplateAsync(Templates templates, string fingerprint, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = Logger(services);
        await PublishTemplateAsync(services, "building");
        var started = Stopwatch.GetTimestamp();
        string template;
        try
        {
            template = await templates.BuildAsync(fingerprint, (connectionString, ct) => MigrateAsync(connectionString, services, ct), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await PublishTemplateAsync(services, $"not built: {ex.Message}");
            throw;
        }

        logger.LogInformation("Template {Template} built in {ElapsedMs} ms", template, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return template;
    }

    /// <summary>The migrations and seeds applied to an empty database by the worker's engine, in this process.</summary>
    private async Task MigrateAsync(string connectionString, IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = new MigrationOptions { ConnectionString = connectionString, Directory = files.MigrationsDirectory, SeedsDirectory = files.SeedsDirectory };
        using var loggers = ResourceLogging.For(database, services);
        var result = await MigrationEngine.RunAsync(options, loggers, services.GetRequiredService<TimeProvider>(), cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"The template could not be built: {result.Failure?.Reason ?? result.Outcome.ToString()}");
        }
    }

    private UndoSnapshots Undo(IServiceProvider services) => new(Server, database.Name, services.GetRequiredService<TimeProvider>());

    private DevDatabaseMetadata BranchMetadata(IServiceProvider services) => new(DevDatabaseKind.Branch, database.Name)
    {
        Branch = _head?.Branch,
        Commit = _head?.Commit,
        CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow(),
    };

    private Task PublishAsync(IServiceProvider services, BranchDatabaseResult result) =>
        services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, s => s with
        {
            Properties = s.Properties.With(
                ResourceProperties.Of(BranchProperty, "Branch", Describe(_head), highlighted: true),
                ResourceProperties.Of(NameProperty, "Database", DatabaseName, highlighted: true),
                ResourceProperties.Of(CopiedFromProperty, "Created from", result switch
                {
                    { CopiedFrom: { } from } => $"{from}, at this start",
                    { Created: true } => "empty, at this start",
                    _ => "an earlier start",
                })),
        });

    private Task PublishTemplateAsync(IServiceProvider services, string template) =>
        services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, s => s with
        {
            Properties = s.Properties.With(ResourceProperties.Of(TemplateProperty, "Template", template)),
        });

    private string Describe(GitHead? head) => head switch
    {
        { Branch: { } branch } => branch,
        { Commit: { } commit } => $"detached HEAD at {commit[..Math.Min(12, commit.Length)]}",
        _ when !settings.PerBranch => $"off ({DatabaseSettings.PerBranchKey}=false)",
        _ => "not a git checkout",
    };

    private ILogger Logger(IServiceProvider services) => services.GetRequiredService<ResourceLoggerService>().GetLogger(database);
}
