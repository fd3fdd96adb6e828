using DevLauncher.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DevLauncher.SchemaGate;

/// <summary>What the gate knows about the database's schema.</summary>
internal sealed record SchemaStatus(bool Ready, string Reason)
{
    public static SchemaStatus NotChecked { get; } = new(false, "schema not checked yet");
}

/// <summary>
/// A service is not ready until the migrations it needs are applied: services never run DDL, the migration worker does.
/// The gate asks the history (<see cref="SchemaHistory"/>) only when a request or <c>/health</c> needs the answer. It keeps an
/// open answer for <see cref="SchemaGateOptions.PollInterval"/>: the AppHost's Reset database and Undo last migration
/// swap the database under running services, so the version can go down as well as up. It keeps a closed answer for no
/// one who came after it, so the first request after a swap or an apply finds the gate open, not an answer from the
/// moment the database was away. A database ahead of the service is fine. The gate logs each time it opens or closes.
/// </summary>
internal sealed class SchemaGate(
    NpgsqlDataSource dataSource, DatabaseWindow window, IOptions<SchemaGateOptions> options, TimeProvider timeProvider, ILogger<SchemaGate> logger) : IDisposable
{
    private readonly SemaphoreSlim _checking = new(1, 1);
    private Answer? _answer;

    public long RequiredVersion => options.Value.RequiredVersion;

    /// <summary>
    /// An open answer while it is younger than the poll interval. Otherwise one caller asks the database, and the callers
    /// that came while it asked take its answer: a busy service sends one query at a time, open or closed.
    /// </summary>
    public async ValueTask<SchemaStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var arrivedAt = timeProvider.GetTimestamp();
        if (FreshSince(arrivedAt) is { } fresh)
        {
            return fresh;
        }

        await _checking.WaitAsync(cancellationToken);
        try
        {
            return FreshSince(arrivedAt) ?? Record(await QueryAsync(cancellationToken));
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <summary>The answer if it is open and younger than the poll interval, or came after this caller did.</summary>
    private SchemaStatus? FreshSince(long arrivedAt)
    {
        var answer = Volatile.Read(ref _answer);
        if (answer is null)
        {
            return null;
        }

        var fresh = answer.CheckedAt > arrivedAt ||
            (answer.Status.Ready && timeProvider.GetElapsedTime(answer.CheckedAt) < options.Value.PollInterval);
        return fresh ? answer.Status : null;
    }

    private SchemaStatus Record(SchemaStatus status)
    {
        var previous = Volatile.Read(ref _answer)?.Status ?? SchemaStatus.NotChecked;
        if (status.Ready && !previous.Ready)
        {
            logger.LogInformation("Schema gate open: {Reason}", status.Reason);
        }
        else if (!status.Ready && (previous.Ready || previous == SchemaStatus.NotChecked))
        {
            logger.LogWarning("Schema gate closed: {Reason}", status.Reason);
        }

        Volatile.Write(ref _answer, new Answer(status, timeProvider.GetTimestamp()));
        return status;
    }

    /// <summary>
    /// Rides through the schema loop's windows (<see cref="DatabaseWindow"/>): a database that is copied or swapped
    /// for a moment keeps the gate as it was, and only one still away after <see cref="SchemaGateOptions.DatabaseWait"/>
    /// is reported unreachable.
    /// </summary>
    private async Task<SchemaStatus> QueryAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await window.RideThroughAsync(AskAsync, options.Value.DatabaseWait, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return new SchemaStatus(false, SchemaGateReason.Unreachable(RequiredVersion, ex.Message));
        }
    }

    private async Task<SchemaStatus> AskAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var history = await SchemaHistory.ReadSummaryAsync(connection, cancellationToken);
        return history.Version is { } version
            ? new SchemaStatus(version >= RequiredVersion, SchemaGateReason.Versions(RequiredVersion, version))
            : new SchemaStatus(false, SchemaGateReason.NoSchema(RequiredVersion));
    }

    public void Dispose() => _checking.Dispose();

    private sealed record Answer(SchemaStatus Status, long CheckedAt);
}
