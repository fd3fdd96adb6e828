using DevLauncher.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DevLauncher.ServiceDefaults.SchemaGate;

/// <summary>What the gate knows about the database's schema.</summary>
public sealed record SchemaStatus(bool Ready, string Reason);

/// <summary>
/// A service is not ready until the migrations it needs are applied: services never run DDL, the migration worker does.
/// Asks <c>devlauncher.schema_history</c> at most once per poll interval while behind; once satisfied it never asks
/// again, because the schema only moves forward (a database ahead of the service is fine).
/// </summary>
public sealed class SchemaGate(NpgsqlDataSource dataSource, IOptions<SchemaGateOptions> options, TimeProvider timeProvider, ILogger<SchemaGate> logger) : IDisposable
{
    private readonly SemaphoreSlim _checking = new(1, 1);
    private SchemaStatus _status = new(false, "schema not checked yet");
    private long _checkedAt = long.MinValue;

    public long RequiredVersion => options.Value.RequiredVersion;

    public async ValueTask<SchemaStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _status);
        if (current.Ready || !IsStale())
        {
            return current;
        }

        await _checking.WaitAsync(cancellationToken);
        try
        {
            if (IsStale())
            {
                var status = await QueryAsync(cancellationToken);
                if (status.Ready)
                {
                    logger.LogInformation("Schema gate open: {Reason}", status.Reason);
                }

                Volatile.Write(ref _status, status);
                Volatile.Write(ref _checkedAt, timeProvider.GetTimestamp());
            }

            return Volatile.Read(ref _status);
        }
        finally
        {
            _checking.Release();
        }
    }

    private bool IsStale()
    {
        var checkedAt = Volatile.Read(ref _checkedAt);
        return checkedAt == long.MinValue || timeProvider.GetElapsedTime(checkedAt) >= options.Value.PollInterval;
    }

    private async Task<SchemaStatus> QueryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand($"SELECT max(version) FROM {SchemaHistory.Table}");
            var result = await command.ExecuteScalarAsync(cancellationToken);
            return result is long version
                ? new SchemaStatus(version >= RequiredVersion, SchemaGateReason.Versions(RequiredVersion, version))
                : new SchemaStatus(false, SchemaGateReason.NoSchema(RequiredVersion));
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return new SchemaStatus(false, SchemaGateReason.NoSchema(RequiredVersion));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return new SchemaStatus(false, SchemaGateReason.Unreachable(RequiredVersion, ex.Message));
        }
    }

    public void Dispose() => _checking.Dispose();
}
