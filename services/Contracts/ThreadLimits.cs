namespace DevLauncher.Contracts;

/// <summary>
/// The limits of a thread's title and a message's body, which the database's CHECK constraints enforce: the backend
/// checks them first so that a client gets a 400 with the reason, not a 500; the frontend's forms state them.
/// </summary>
public static class ThreadLimits
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 4000;

    /// <returns>The broken rule for <paramref name="field"/>; empty when the text may be stored.</returns>
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
