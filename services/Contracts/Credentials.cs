using System.Net.Mail;

namespace DevLauncher.Contracts;

/// <summary>
/// The rules for emails and passwords, with the reason a request breaks them: auth enforces them, the frontend's forms
/// state them, so both read them here.
/// </summary>
public static class Credentials
{
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 1024;
    public const int MaxEmailLength = 320;

    /// <summary>Emails are compared lower-cased: the database stores them that way and enforces uniqueness on it.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <returns>The broken rules by field (<c>email</c>, <c>password</c>); empty when the credentials may be registered.</returns>
    public static Dictionary<string, string[]> Validate(string? email, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        if (EmailProblem(email) is { } emailProblem)
        {
            errors["email"] = [emailProblem];
        }

        if (PasswordProblem(password) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }

        return errors;
    }

    private static string? EmailProblem(string? email) =>
        string.IsNullOrWhiteSpace(email) ? "An email is required."
        : email.Trim().Length > MaxEmailLength ? $"An email has at most {MaxEmailLength} characters."
        : !IsEmail(email.Trim()) ? "That is not an email address (expected name@domain)."
        : null;

    private static string? PasswordProblem(string? password) =>
        string.IsNullOrEmpty(password) ? "A password is required."
        : password.Length < MinPasswordLength ? $"A password has at least {MinPasswordLength} characters."
        : password.Length > MaxPasswordLength ? $"A password has at most {MaxPasswordLength} characters."
        : null;

    private static bool IsEmail(string email) =>
        MailAddress.TryCreate(email, out var address)
        && address.Address == email // rejects "Name <a@b.c>" forms and trailing text
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !email.Any(char.IsWhiteSpace);
}
