using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DevLauncher.ServiceDefaults;

public static class DatabaseWindowRetry
{
    /// <summary>
    /// Runs an endpoint again when a statement of it met one of the schema loop's windows (<see cref="DatabaseWindow"/>:
    /// its session ended by Apply's snapshot, Undo, Reset or a Preview's copy, or the database refusing connections or
    /// missing for a moment), after a pause, for up to a few seconds. The statement never ran there; whatever ran before
    /// it in a transaction was rolled back, and Npgsql emptied its pool on the ended session, so the next run is on new
    /// sessions: a request during the loop is answered, not refused. A database away for longer goes to the 503 with
    /// <c>Retry-After</c> of <see cref="ApiDefaults"/>.
    /// </summary>
    public static TBuilder RetriedThroughDatabaseWindows<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter((context, next) =>
        {
            var window = context.HttpContext.RequestServices.GetRequiredService<DatabaseWindow>();
            return new ValueTask<object?>(window.RideThroughAsync(
                _ => next(context).AsTask(), DatabaseWindow.DefaultPatience, context.HttpContext.RequestAborted));
        });
}
