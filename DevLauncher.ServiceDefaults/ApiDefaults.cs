using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.ServiceDefaults;

/// <summary>
/// How every service answers bad requests and failures: ProblemDetails with a reason, 4xx for the client's mistakes,
/// 503 when a dependency is down, and never a stack trace.
/// </summary>
public static class ApiDefaults
{
    /// <summary>Larger bodies get 413: no endpoint of ours takes more than a message of 4000 characters.</summary>
    private const long MaxRequestBodyBytes = 64 * 1024;

    public static TBuilder AddApiDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        // Binding failures (malformed JSON, wrong content type) throw BadHttpRequestException, which the handler below
        // turns into a 400/415 with the reason, instead of an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    private sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            var (status, title, detail) = Classify(context, exception);
            Log(context, exception, status, title, detail);

            context.Response.StatusCode = status;
            if (status < 500)
            {
                context.Response.Headers.Remove("Retry-After");
            }
            else if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = "1";
            }

            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = { Status = status, Title = title, Detail = detail },
            });
        }

        /// <summary>
        /// A client's mistake is a 4xx with the reason; a dependency that is down is a 503 that says which. A database
        /// copied or swapped under the service (Apply's Undo snapshot, Undo, Reset, a Preview's copy) fails only with
        /// NpgsqlExceptions: 57P01 on the sessions it ended, 55000 while it refuses connections, 3D000 while it is gone;
        /// Npgsql clears its pool itself on the first 57P01 (PooledConnectionSwapTests), and the endpoints run again
        /// for a few seconds (the schema gate's <c>UseSchemaGate</c>), so only a request whose database stays away longer gets the 503.
        /// </summary>
        private static (int Status, string Title, string Detail) Classify(HttpContext context, Exception exception) => exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request is not valid", bad.Message),
            NpgsqlException or TimeoutException => (StatusCodes.Status503ServiceUnavailable, "The database is not available",
                "The database could not be reached; try again shortly."),
            HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException =>
                (StatusCodes.Status503ServiceUnavailable, "A service this one depends on is not available", exception.Message),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", ""),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error", "An unexpected error occurred; it has been logged."),
        };

        private void Log(HttpContext context, Exception exception, int status, string title, string detail)
        {
            if (status >= 500)
            {
                logger.LogError(exception, "{Method} {Path} failed: {Status} {Title}", context.Request.Method, context.Request.Path, status, title);
            }
            else
            {
                logger.LogInformation("{Method} {Path} rejected: {Status} {Detail}", context.Request.Method, context.Request.Path, status, detail);
            }
        }
    }
}
