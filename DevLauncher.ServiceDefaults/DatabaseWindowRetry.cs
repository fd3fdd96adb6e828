using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace DevLauncher.ServiceDefaults;

public static class EndedSessionRetry
{
    /// <summary>
    /// Runs an endpoint once more when a statement of it met a pooled session that the server had ended (57P01): the
    /// AppHost's Reset database and Undo last migration end every session on the database they swap. The statement
    /// never ran there, whatever ran before it ran on the database that was swapped away, and Npgsql emptied its pool
    /// on the failure, so the second run is on the new database and new sessions: the first request after a swap is
    /// answered, not refused. A second failure goes to the 503 of <see cref="ApiDefaults"/>.
    /// </summary>
    public static TBuilder RetriedOnEndedSession<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.AdminShutdown)
            {
                return await next(context);
            }
        });
}
