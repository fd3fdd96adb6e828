using System.Security.Claims;
using DevLauncher.Backend.Data;
using DevLauncher.Backend.Infrastructure;
using DevLauncher.Backend.Model;
using DevLauncher.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DevLauncher.Backend.Apis;

internal static class ThreadsApi
{
    public static IEndpointRouteBuilder MapThreadsApi(this IEndpointRouteBuilder app)
    {
        var threads = app.MapGroup("/threads").RequireAuthorization();
        threads.MapPost("/", CreateThreadAsync).WithName("CreateThread");
        threads.MapGet("/", ListThreadsAsync).WithName("ListThreads");
        threads.MapPost("/{id:long}/messages", PostMessageAsync).WithName("PostMessage");
        threads.MapGet("/{id:long}/messages", ListMessagesAsync).WithName("ListMessages");
        return app;
    }

    public static async Task<Results<Created<ThreadResponse>, ValidationProblem>> CreateThreadAsync(
        CreateThreadRequest request, ClaimsPrincipal user, ThreadStore store, TimeProvider timeProvider,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ThreadsApi));
        var errors = ThreadLimits.CheckText("title", request.Title, ThreadLimits.MaxTitleLength);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var thread = await store.CreateThreadAsync(user.UserId(), request.Title!.Trim(), timeProvider.GetUtcNow(), cancellationToken);
        logger.LogInformation("Thread {ThreadId} created by {UserId}", thread.Id, user.UserId());
        return TypedResults.Created($"/threads/{thread.Id}", thread);
    }

    public static async Task<Ok<IReadOnlyList<ThreadResponse>>> ListThreadsAsync(
        ClaimsPrincipal user, ThreadStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ThreadsApi));
        var threads = await store.ListThreadsAsync(user.UserId(), cancellationToken);
        logger.LogInformation("Listed {ThreadCount} threads for {UserId}", threads.Count, user.UserId());
        return TypedResults.Ok(threads);
    }

    public static async Task<Results<Created<MessageResponse>, ValidationProblem, ProblemHttpResult>> PostMessageAsync(
        long id, PostMessageRequest request, ClaimsPrincipal user, ThreadStore store, TimeProvider timeProvider,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ThreadsApi));
        var errors = ThreadLimits.CheckText("body", request.Body, ThreadLimits.MaxBodyLength);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await store.FindOwnedThreadAsync(id, user.UserId(), cancellationToken) is null)
        {
            return ThreadNotFound(id);
        }

        var message = await store.AddMessageAsync(id, user.UserId(), user.FindFirstValue(ClaimTypes.Email) ?? "",
            request.Body!.Trim(), timeProvider.GetUtcNow(), cancellationToken);
        logger.LogInformation("Message {MessageId} posted to thread {ThreadId}", message.Id, id);
        return TypedResults.Created($"/threads/{id}/messages/{message.Id}", message);
    }

    public static async Task<Results<Ok<IReadOnlyList<MessageResponse>>, ProblemHttpResult>> ListMessagesAsync(
        long id, ClaimsPrincipal user, ThreadStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ThreadsApi));
        if (await store.FindOwnedThreadAsync(id, user.UserId(), cancellationToken) is null)
        {
            return ThreadNotFound(id);
        }

        var messages = await store.ListMessagesAsync(id, cancellationToken);
        logger.LogInformation("Listed {MessageCount} messages of thread {ThreadId}", messages.Count, id);
        return TypedResults.Ok(messages);
    }

    // Someone else's thread is "not found" too: a 403 would confirm that the id exists.
    private static ProblemHttpResult ThreadNotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Thread not found", detail: $"You have no thread {id}.");
}
