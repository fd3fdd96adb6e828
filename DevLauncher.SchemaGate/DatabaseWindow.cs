using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.SchemaGate;

/// <summary>
/// The brief windows in which the schema loop makes a running service's database unreachable. Apply's Undo snapshot
/// and a Preview's copy (<c>CREATE DATABASE ... TEMPLATE</c>), Undo and Reset (two renames) each end the sessions on
/// the database (57P01) and refuse new ones while they work (55000, "not currently accepting connections"); a rename
/// leaves the name without a database for an instant (3D000), and a session can find its connection closed. Each
/// window lasts well under a second (a few seconds on a loaded machine), so a caller that meets one waits a moment and
/// asks again on a new session: a service that waits a moment for its database is still healthy.
/// </summary>
internal sealed class DatabaseWindow(TimeProvider timeProvider, ILogger<DatabaseWindow> logger)
{
    /// <summary>How long a caller waits for its database in all: longer than a copy takes on a busy laptop.</summary>
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// Runs <paramref name="ask"/>, and again after a pause (50 ms, doubling up to 400 ms) each time it meets one of the
    /// loop's windows, for up to <paramref name="patience"/> in all, while <paramref name="mayAskAgain"/> allows. A
    /// database still away after that, or any other failure, is the caller's to report.
    /// </summary>
    public async Task<T> RideThroughAsync<T>(Func<CancellationToken, Task<T>> ask, TimeSpan patience, CancellationToken cancellationToken,
        Func<bool>? mayAskAgain = null)
    {
        var started = timeProvider.GetTimestamp();
        for (var pause = FirstPause; ; pause = pause < LongestPause ? pause * 2 : LongestPause)
        {
            try
            {
                return await ask(cancellationToken);
            }
            catch (NpgsqlException ex) when (IsWindow(ex) && timeProvider.GetElapsedTime(started) + pause <= patience && (mayAskAgain?.Invoke() ?? true))
            {
                logger.LogDebug("The database is away for a moment ({Reason}); asking again in {Pause} ms", ex.Message, pause.TotalMilliseconds);
                await Task.Delay(pause, timeProvider, cancellationToken);
            }
        }
    }

    /// <summary>A failure the loop's windows cause: nothing ran, and a new session a moment later can succeed.</summary>
    public static bool IsWindow(NpgsqlException exception) => exception is PostgresException postgres
        ? postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.InvalidCatalogName
            or PostgresErrorCodes.ObjectNotInPrerequisiteState or PostgresErrorCodes.CannotConnectNow
        : exception.IsTransient; // a connection refused or closed: Npgsql's socket and I/O failures
}
