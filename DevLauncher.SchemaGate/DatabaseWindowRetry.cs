using DevLauncher.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DevLauncher.SchemaGate;

/// <summary>
/// Runs a request again when a statement of it met one of the schema loop's windows (<see cref="DatabaseWindow"/>: its
/// session ended by Apply's snapshot, Undo, Reset or a Preview's copy, or the database refusing connections or missing
/// for a moment), after a pause, for up to a few seconds. The statement never ran there; whatever ran before it in a
/// transaction was rolled back, and Npgsql emptied its pool on the ended session, so the next run is on new sessions: a
/// request during the loop is answered, not refused. A request is run again only while nothing of its answer has been
/// sent, with its body read again from the start; a database away for longer is the service's exception handler's.
/// </summary>
internal static class DatabaseWindowRetry
{
    public static Task RunAgainThroughWindowsAsync(HttpContext context, RequestDelegate next)
    {
        if (IsHealthProbe(context))
        {
            return next(context);
        }

        context.Request.EnableBuffering();
        var window = context.RequestServices.GetRequiredService<DatabaseWindow>();
        var headers = context.Response.Headers.ToList();
        var tries = 0;
        return window.RideThroughAsync(async _ =>
        {
            if (tries++ > 0)
            {
                Rewind(context, headers);
            }

            await next(context);
            return true;
        }, DatabaseWindow.DefaultPatience, context.RequestAborted, mayAskAgain: () => !context.Response.HasStarted);
    }

    /// <summary>A request for <c>/health</c> or <c>/alive</c>: answered whatever the schema, and never run again.</summary>
    public static bool IsHealthProbe(HttpContext context) =>
        context.Request.Path.StartsWithSegments(HealthDocument.HealthPath) || context.Request.Path.StartsWithSegments(HealthDocument.AlivePath);

    /// <summary>What the try before left: the body read, and the headers and status it set (not those set before it).</summary>
    private static void Rewind(HttpContext context, List<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> headers)
    {
        context.Request.Body.Position = 0;
        context.Response.Clear();
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }
    }
}
