using System.Diagnostics;
using System.Runtime.CompilerServices;
using DevLauncher.Contracts;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// Development data (<c>Migrations:SeedsDirectory</c>): the seed files run on a database whose seed_history is empty,
/// all in one transaction with their seed_history rows, so that a failure leaves the table empty and the next run
/// seeds again. The runner calls it under the lock, after a run that left every migration applied.
/// </summary>
internal sealed class SeedRunner(MigrationsInstrumentation instrumentation, TimeProvider timeProvider, ILogger<SeedRunner> logger)
{
    private const string StayApplied = "The migrations stay applied; the next run seeds the database again.";

    /// <returns>The files it ran (none when the database was seeded before), or the failure that names the seed.</returns>
    public async Task<SeedRun> SeedAsync(NpgsqlConnection connection, IReadOnlyList<SeedScript> seeds, CancellationToken cancellationToken)
    {
        if (seeds.Count == 0 || !await SeedHistory.IsEmptyAsync(connection, cancellationToken))
        {
            return new SeedRun([], null);
        }

        using var activity = instrumentation.ActivitySource.StartActivity("migrations.seed");
        activity?.SetTag("devlauncher.seeds.count", seeds.Count);
        var failure = seeds.FirstOrDefault(s => s.Problem is not null) is { } broken
            ? RunFailures.InvalidSeed(broken, $"Seed {broken.FileName} cannot run as written, so no seed was run: {broken.Problem} {StayApplied}")
            : await RunAllAsync(connection, seeds, cancellationToken);
        if (failure is not null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, failure.Summary);
            return new SeedRun([], failure);
        }

        logger.LogInformation("Seeded the new database with {SeedCount} file(s): {Seeds}", seeds.Count, string.Join(", ", seeds.Select(s => s.FileName)));
        return new SeedRun([.. seeds.Select(s => s.FileName)], null);
    }

    /// <returns>Null when every seed ran and was recorded; else the failure of the seed that failed.</returns>
    private async Task<MigrationFailure?> RunAllAsync(NpgsqlConnection connection, IReadOnlyList<SeedScript> seeds, CancellationToken cancellationToken)
    {
        var current = new StrongBox<SqlStatement?>();
        SeedScript? running = null;
        try
        {
            // Disposed before the catch runs: a failure rolls every seed back, and the session is usable again.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var seed in seeds)
            {
                running = seed;
                await StatementExecutor.RunAsync(connection, seed.Statements, transaction, current, cancellationToken);
                await SeedHistory.RecordAsync(connection, transaction, seed, timeProvider.GetUtcNow(), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        catch (PostgresException ex) when (running is not null)
        {
            var reason = $"Seed {running.FileName} failed, and every seed was rolled back: " +
                $"{SqlErrorLocation.Explain(running.Sql, current.Value, ex)} {StayApplied}";
            return RunFailures.Seed(running, ex, SqlErrorLocation.Line(running.Sql, current.Value, ex), reason);
        }
    }
}

/// <summary>What seeding did: the files it ran, or why it failed.</summary>
internal sealed record SeedRun(IReadOnlyList<string> Seeded, MigrationFailure? Failure);
