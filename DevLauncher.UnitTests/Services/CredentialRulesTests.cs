using DevLauncher.Contracts;

namespace DevLauncher.UnitTests.Services;

/// <summary>Auth's input limits: each broken rule is a 400 with this reason, never a 500.</summary>
public sealed class CredentialRulesTests
{
    private static readonly string GoodPassword = new('p', Credentials.MinPasswordLength);

    [Fact]
    public void Good_credentials_break_no_rule() =>
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
    public void An_email_has_a_maximum_length()
    {
        var longEmail = new string('a', Credentials.MaxEmailLength - "@example.com".Length + 1) + "@example.com";
        Assert.Equal([$"An email has at most {Credentials.MaxEmailLength} characters."], Credentials.Validate(longEmail, GoodPassword)["email"]);
        Assert.Empty(Credentials.Validate(longEmail[1..], GoodPassword));
    }

    [Fact]
    public void A_password_has_a_minimum_length() =>
        Assert.Equal([$"A password has at least {Credentials.MinPasswordLength} characters."], Credentials.Validate("a@b.com", GoodPassword[1..])["password"]);

    [Fact]
    public void A_password_has_a_maximum_length()
    {
        Assert.Equal([$"A password has at most {Credentials.MaxPasswordLength} characters."],
            Credentials.Validate("a@b.com", new string('p', Credentials.MaxPasswordLength + 1))["password"]);
        Assert.Empty(Credentials.Validate("a@b.com", new string('p', Credentials.MaxPasswordLength)));
    }

    [Fact]
    public void Emails_are_compared_in_their_trimmed_lower_case_form() =>
        Assert.Equal("someone@example.com", Credentials.Normalize("  SomeOne@Example.COM "));
}
