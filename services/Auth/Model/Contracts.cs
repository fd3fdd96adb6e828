namespace DevLauncher.Auth.Model;

public sealed record RegisterRequest(string? Email, string? Password);

public sealed record UserResponse(Guid Id, string Email);

public sealed record SignInRequest(string? Email, string? Password);

public sealed record SessionResponse(string Token, DateTimeOffset ExpiresAt);

public sealed record CurrentSessionResponse(Guid UserId, string Email, DateTimeOffset ExpiresAt);

/// <summary>A user as stored: the type the password hasher is keyed on.</summary>
public sealed record UserAccount(Guid Id, string Email, string PasswordHash);
