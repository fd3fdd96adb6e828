using DevLauncher.Auth.Data;
using DevLauncher.Auth.Model;
using DevLauncher.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace DevLauncher.Auth.Apis;

internal static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/users", RegisterAsync).WithName("Register");
        return app;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, UserStore users, IPasswordHasher<UserAccount> hasher, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(UsersApi));
        var errors = Credentials.Validate(request.Email, request.Password);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var email = Credentials.Normalize(request.Email!);
        var hash = hasher.HashPassword(new UserAccount(Guid.Empty, email, ""), request.Password!);
        var user = await users.CreateAsync(email, hash, cancellationToken);
        if (user is null)
        {
            logger.LogInformation("Registration refused: the email is already registered");
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Email already registered",
                detail: "An account with this email already exists.");
        }

        logger.LogInformation("User {UserId} registered", user.Id);
        return TypedResults.Created($"/users/{user.Id}", new UserResponse(user.Id, user.Email));
    }
}
