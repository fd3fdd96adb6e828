using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DevLauncher.Backend.Infrastructure;

/// <summary>
/// Authenticates "Authorization: Bearer &lt;token&gt;" by asking auth. A missing or bad token is a 401 with the reason;
/// auth being down is a 503, because the caller's token may well be valid.
/// </summary>
internal sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, AuthClient auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Session";
    public const string UserIdClaim = "sub";

    private string? _failure;
    private bool _authUnavailable;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            _failure = "Send 'Authorization: Bearer <token>' with a token from the auth service's POST /sessions.";
            return AuthenticateResult.NoResult();
        }

        try
        {
            return await auth.GetSessionUserAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted) is { } user
                ? AuthenticateResult.Success(Ticket(user))
                : Fail("The token is unknown, expired or revoked: sign in again.");
        }
        catch (AuthUnavailableException ex)
        {
            Logger.LogWarning("Session check failed: {Reason}", ex.Message);
            _authUnavailable = true;
            return Fail(ex.Message);
        }
    }

    private static AuthenticationTicket Ticket(SessionUser user) => new(
        new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(UserIdClaim, user.UserId.ToString()), new Claim(ClaimTypes.Email, user.Email)], SchemeName)),
        SchemeName);

    /// <summary>Keeps the reason for the challenge, which writes it into the 401 or 503.</summary>
    private AuthenticateResult Fail(string reason)
    {
        _failure = reason;
        return AuthenticateResult.Fail(reason);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        Response.StatusCode = _authUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status401Unauthorized;
        if (_authUnavailable)
        {
            Response.Headers.RetryAfter = "1";
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = Response.StatusCode,
                Title = _authUnavailable ? "The auth service is not available" : "Not signed in",
                Detail = _failure ?? "A session token is required.",
            },
        });
    }
}

internal static class ClaimsPrincipalExtensions
{
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(SessionAuthenticationHandler.UserIdClaim)
            ?? throw new InvalidOperationException("An authenticated user without a user id."));
}
