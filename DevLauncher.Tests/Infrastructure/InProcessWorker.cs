using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.Logging;

namespace DevLauncher.Tests.Infrastructure;

/// <summary>
/// The worker's runner, in this process, with its own unpooled connection: to PostgreSQL it is a separate session, just
/// like another worker process, which is what the concurrency tests need.
/// </summary>
internal static class InProcessWorker
{
    public static async Task<MigrationRunResult> RunAsync(
        string connectionString,
        string? directory = null,
        TimeSpan? lockTimeout = null,
        ListLogger<MigrationRunner>? logger = null,
        string? servicePassword = null,
        string? seedsDirectory = null,
        bool planOnly = false,
        CancellationToken cancellationToken = default)
    {
        var options = new MigrationOptions
        {
            ConnectionString = connectionString,
            Directory = directory,
            SeedsDirectory = seedsDirectory,
            PlanOnly = planOnly,
            LockTimeout = lockTimeout ?? TimeSpan.FromMinutes(1),
            ServicePassword = servicePassword,
        };
        // Composed as the worker composes it (MigrationEngine.CreateRunner), with its embedded migrations, on a data
        // source of the test's own.
        await using var dataSource = WorkerDataSource.Create(connectionString, $"{WorkerDataSource.ApplicationName} (test)");
        using var loggers = new ListLoggerFactory(logger ?? new ListLogger<MigrationRunner>());
        return await MigrationEngine.RunAsync(options, dataSource, new EmbeddedMigrations(DevLauncher.Migrations.WorkerScripts.Assembly),
            loggers, TimeProvider.System, cancellationToken);
    }
}

/// <summary>Keeps every formatted log line, so a test can assert on what a user would read.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}

/// <summary>Every category logs to the one list, so a test reads the engine's whole log in order.</summary>
internal sealed class ListLoggerFactory(ILogger logger) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => logger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
