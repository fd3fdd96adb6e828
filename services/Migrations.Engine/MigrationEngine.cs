using System.ComponentModel.DataAnnotations;
using DevLauncher.Contracts;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// The engine without a worker process, for a host that migrates in process (the AppHost's template databases and
/// plans): the runner the worker composes, on an unpooled connection of its own, under the same lock, so it never
/// races a worker.
/// </summary>
public static class MigrationEngine
{
    /// <summary>One run, as the worker's: <see cref="MigrationRunResult.ExitCode"/> is the code the worker would exit with.</summary>
    /// <param name="options">
    /// <see cref="MigrationOptions.Directory"/> is required: only the worker has migrations embedded. A bad option is
    /// a <see cref="MigrationOutcome.ConfigurationError"/>, as in the worker.
    /// </param>
    public static async Task<MigrationRunResult> RunAsync(
        MigrationOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (ConfigurationError(options) is { } error)
        {
            loggerFactory.CreateLogger<MigrationRunner>().LogError("{Status}: {Error}", MigrationOutcome.ConfigurationError, error);
            return MigrationRunResult.Failed(MigrationOutcome.ConfigurationError, RunFailures.Configuration(error));
        }

        await using var dataSource = WorkerDataSource.Create(options.ConnectionString!);
        return await RunAsync(options, dataSource, embedded: null, loggerFactory, timeProvider, cancellationToken);
    }

    /// <summary>
    /// Runs the pending <paramref name="files"/> on a COPY of a database and reports what each statement did there, as
    /// PostgreSQL saw it: its locks and what they block, the tables it rewrote, what it dropped and the values lost, its
    /// time, or its failure as the worker names it. It writes the copy's history as a run would: never give it the
    /// real database. Seeds are not run, and no lock is taken: nothing else uses a copy.
    /// </summary>
    /// <param name="copyConnectionString">The copy, as a role that may run the migrations (its owner, or the server's superuser).</param>
    public static async Task<MigrationPreview> PreviewAsync(
        string copyConnectionString, MigrationFiles files, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using var dataSource = WorkerDataSource.Create(copyConnectionString, PreviewRunner.ApplicationName);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await new PreviewRunner(dataSource, connection, timeProvider).RunAsync(files, cancellationToken);
    }

    /// <summary>On a data source of the caller's, with the worker's embedded migrations where given (the tests and the bench).</summary>
    internal static async Task<MigrationRunResult> RunAsync(MigrationOptions options, NpgsqlDataSource dataSource, EmbeddedMigrations? embedded,
        ILoggerFactory loggerFactory, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var instrumentation = new MigrationsInstrumentation();
        var runner = CreateRunner(options, dataSource, embedded, instrumentation, loggerFactory, timeProvider);
        return await runner.RunAsync(cancellationToken);
    }

    /// <summary>The one composition of the runner: the worker's (through AddMigrationRunner) and the in-process one.</summary>
    internal static MigrationRunner CreateRunner(MigrationOptions options, NpgsqlDataSource dataSource, EmbeddedMigrations? embedded,
        MigrationsInstrumentation instrumentation, ILoggerFactory loggerFactory, TimeProvider timeProvider) =>
        new(dataSource, new MigrationScriptSource(options, embedded), options, instrumentation,
            new SeedRunner(instrumentation, timeProvider, loggerFactory.CreateLogger<SeedRunner>()), timeProvider, loggerFactory.CreateLogger<MigrationRunner>());

    private static string? ConfigurationError(MigrationOptions options)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return "Configuration error: " + string.Join(" ", results.Select(r => r.ErrorMessage));
        }

        return string.IsNullOrWhiteSpace(options.Directory)
            ? $"Configuration error: {WorkerConfiguration.DirectoryKey} is required in process: only the worker has migrations embedded."
            : null;
    }
}
