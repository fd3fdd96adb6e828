using DevLauncher.Contracts;

namespace DevLauncher.UnitTests.Services;

/// <summary>Auth's input limits: each broken rule is a 400 with this reason, never a 500.</summary>
public sealed class CredentialRulesTests
{
    private static readonly string GoodPassword = new('p', Credentials.MinPasswordLength);

    [Fact]
    public void A_good_email_and_password_break_no_rule() =>
        Assert.Empty(Credentials.Validate("someone@example.com", GoodPassword));

    [Theory]
    [InlineData(null, "An email is required.")]
    [InlineData("   ", "An email is required.")]
    [InlineData("not-an-email", "That is not an email address (expected name@domain).")]
    [InlineData("Name <a@b.com>", "That is not an email address (expected name@domain).")]
    [InlineData("a@localhost", "That is not an email address (expected name@domain).")]
    public void A_bad_email_says_why(string? email, string reason) =>
        Assert.Equal([reason], Credentials.Validate(email, GoodPassword)["email"]);

    [Fact]
    public void Emails_and_passwords_have_length_limits_on_both_sides()
    {
        var longEmail = new string('a', Credentials.MaxEmailLength - "@example.com".Length + 1) + "@example.com";
        Assert.Equal([$"An email has at most {Credentials.MaxEmailLength} characters."], Credentials.Validate(longEmail, GoodPassword)["email"]);
        Assert.Empty(Credentials.Validate(longEmail[1..], GoodPassword));

        Assert.Equal([$"A password has at least {Credentials.MinPasswordLength} characters."], Credentials.Validate("a@b.com", GoodPassword[1..])["password"]);
        Assert.Equal([$"A password has at most {Credentials.MaxPasswordLength} characters."],
            Credentials.Validate("a@b.com", new string('p', Credentials.MaxPasswordLength + 1))["password"]);
        Assert.Empty(Credentials.Validate("a@b.com", new string('p', Credentials.MaxPasswordLength)));
    }

    [Fact]
    public void Emails_are_compared_trimmed_and_lower_cased() =>
        Assert.Equal("someone@example.com", Credentials.Normalize("  SomeOne@Example.COM "));
}
