namespace DevLauncher.Auth.Model;

internal sealed record RegisterRequest(string? Email, string? Password);

internal sealed record UserResponse(Guid Id, string Email);

internal sealed record SignInRequest(string? Email, string? Password);

internal sealed record SessionResponse(string Token, DateTimeOffset ExpiresAt);

internal sealed record CurrentSessionResponse(Guid UserId, string Email, DateTimeOffset ExpiresAt);

/// <summary>A user as stored: the type the password hasher is keyed on.</summary>
internal sealed record UserAccount(Guid Id, string Email, string PasswordHash);
