using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
        CancellationToken cancellationToken = default)
    {
        var options = Options.Create(new MigrationOptions
        {
            ConnectionString = connectionString,
            Directory = directory,
            LockTimeout = lockTimeout ?? TimeSpan.FromMinutes(1),
            ServicePassword = servicePassword,
        });
        // Composed as the worker composes it (AddMigrationRunner), on a data source of the test's own.
        await using var services = new ServiceCollection()
            .AddMetrics()
            .AddSingleton(options)
            .AddSingleton(_ => WorkerDataSource.Create(connectionString, $"{WorkerDataSource.ApplicationName} (test)"))
            .AddSingleton<ILogger<MigrationRunner>>(logger ?? new ListLogger<MigrationRunner>())
            .AddMigrationRunner(typeof(DevLauncher.Migrations.Hosting.MigrationWorker).Assembly)
            .BuildServiceProvider();
        return await services.GetRequiredService<MigrationRunner>().RunAsync(cancellationToken);
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
