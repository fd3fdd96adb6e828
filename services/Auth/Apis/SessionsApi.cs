using DevLauncher.Auth.Data;
using DevLauncher.Auth.Model;
using DevLauncher.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DevLauncher.Auth.Apis;

internal static class SessionsApi
{
    // Verifying against a real hash for an unknown email too keeps "no such user" as slow as "wrong password", so
    // response times do not tell which emails are registered. Computed once; immutable.
    private static readonly UserAccount NobodyAccount = new(Guid.Empty, "nobody@invalid",
        new PasswordHasher<UserAccount>().HashPassword(new UserAccount(Guid.Empty, "nobody@invalid", ""), Guid.NewGuid().ToString()));

    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/sessions");
        sessions.MapPost("/", SignInAsync).WithName("SignIn");
        sessions.MapGet("/current", GetCurrentAsync).WithName("CurrentSession");
        sessions.MapDelete("/current", SignOutAsync).WithName("SignOut");
        return app;
    }

    public static async Task<Results<Created<SessionResponse>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, UserStore users, SessionStore sessions, IPasswordHasher<UserAccount> hasher,
        IOptions<AuthOptions> options, TimeProvider timeProvider, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SessionsApi));
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["credentials"] = ["An email and a password are required."],
            });
        }

        if (await VerifyPasswordAsync(request.Email, request.Password, users, hasher, cancellationToken) is not { } user)
        {
            logger.LogInformation("Sign-in refused: unknown email or wrong password");
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                detail: "Unknown email or wrong password.");
        }

        var session = await sessions.CreateAsync(user.Id, timeProvider.GetUtcNow(), options.Value.SessionLifetime, cancellationToken);
        logger.LogInformation("User {UserId} signed in", user.Id);
        return TypedResults.Created("/sessions/current", session);
    }

    public static async Task<Results<Ok<CurrentSessionResponse>, ProblemHttpResult>> GetCurrentAsync(
        HttpRequest request, SessionStore sessions, TimeProvider timeProvider, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SessionsApi));
        var session = BearerToken(request) is { } token
            ? await sessions.FindActiveAsync(token, timeProvider.GetUtcNow(), cancellationToken)
            : null;
        if (session is null)
        {
            logger.LogInformation("Session check: no valid session");
            return NoSession();
        }

        logger.LogInformation("Session check: user {UserId}", session.UserId);
        return TypedResults.Ok(session);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> SignOutAsync(
        HttpRequest request, SessionStore sessions, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SessionsApi));
        if (BearerToken(request) is not { } token || !await sessions.RevokeAsync(token, cancellationToken))
        {
            return NoSession();
        }

        logger.LogInformation("Session revoked");
        return TypedResults.NoContent();
    }

    /// <returns>The user, or null for an unknown email or a wrong password, which take the same time to answer.</returns>
    private static async Task<UserAccount?> VerifyPasswordAsync(
        string email, string password, UserStore users, IPasswordHasher<UserAccount> hasher, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(Credentials.Normalize(email), cancellationToken);
        var account = user ?? NobodyAccount;
        var verdict = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // Hashed with older parameters than the hasher's: the password is at hand now, so store a current hash.
            await users.UpdatePasswordHashAsync(user.Id, hasher.HashPassword(user, password), cancellationToken);
        }

        return user;
    }

    private static ProblemHttpResult NoSession() => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
        title: "Not signed in", detail: "Send 'Authorization: Bearer <token>' with a token from POST /sessions that is not expired or revoked.");

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
