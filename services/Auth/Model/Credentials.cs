using System.Net.Mail;

namespace DevLauncher.Auth.Model;

/// <summary>The rules for emails and passwords, with the reason a request breaks them.</summary>
public static class Credentials
{
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 1024;
    public const int MaxEmailLength = 320;

    /// <summary>Emails are compared lower-cased: the database stores them that way and enforces uniqueness on it.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public static Dictionary<string, string[]> Validate(string? email, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(email))
        {
            errors["email"] = ["An email is required."];
        }
        else if (email.Trim().Length > MaxEmailLength)
        {
            errors["email"] = [$"An email has at most {MaxEmailLength} characters."];
        }
        else if (!IsEmail(email.Trim()))
        {
            errors["email"] = ["That is not an email address (expected name@domain)."];
        }

        if (string.IsNullOrEmpty(password))
        {
            errors["password"] = ["A password is required."];
        }
        else if (password.Length < MinPasswordLength)
        {
            errors["password"] = [$"A password has at least {MinPasswordLength} characters."];
        }
        else if (password.Length > MaxPasswordLength)
        {
            errors["password"] = [$"A password has at most {MaxPasswordLength} characters."];
        }

        return errors;
    }

    private static bool IsEmail(string email) =>
        MailAddress.TryCreate(email, out var address)
        && address.Address == email // rejects "Name <a@b.c>" forms and trailing text
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !email.Any(char.IsWhiteSpace);
}
