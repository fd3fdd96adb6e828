namespace DevLauncher.Backend.Model;

public sealed record CreateThreadRequest(string? Title);

public sealed record ThreadResponse(long Id, string Title, DateTimeOffset CreatedAt);

public sealed record PostMessageRequest(string? Body);

public sealed record MessageResponse(long Id, long ThreadId, Guid AuthorId, string AuthorEmail, string Body, DateTimeOffset CreatedAt);

/// <summary>The limits the database's CHECK constraints enforce, checked first so a client gets a 400, not a 500.</summary>
public static class Limits
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 4000;

    public static Dictionary<string, string[]> CheckText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new() { [field] = [$"A {field} is required and cannot be blank."] };
        }

        if (value.Trim().Length > maxLength)
        {
            return new() { [field] = [$"A {field} has at most {maxLength} characters; this one has {value.Trim().Length}."] };
        }

        // PostgreSQL text cannot hold NUL; refuse it here with a reason rather than fail in the driver.
        return value.Contains('\0', StringComparison.Ordinal)
            ? new() { [field] = [$"A {field} cannot contain the NUL character."] }
            : [];
    }
}
