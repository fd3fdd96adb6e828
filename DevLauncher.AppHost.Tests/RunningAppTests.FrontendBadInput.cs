using System.Globalization;
using DevLauncher.AppHost.Tests.Infrastructure;

namespace DevLauncher.AppHost.Tests;

/// <summary>The frontend's forms, given bad input: a 4xx page that says why, never a 5xx; what it shows is escaped.</summary>
public sealed partial class RunningAppTests
{
    public static TheoryData<string, string, string, int, string> BadForms => new()
    {
        // page, field, value, expected status, text the page shows
        { "/register", "Email", "not-an-email", 400, "That is not an email address" },
        { "/register", "Password", "short", 400, "at least 12 characters" },
        { "/signin", "Password", "wrong password entirely", 401, "Unknown email or wrong password." },
        { "/", "Title", new string('t', 201), 400, "at most 200 characters" },
        { "/", "Title", "   ", 400, "cannot be blank" },
        { "/", "Title", "<img src=x onerror=alert(1)>'; DROP TABLE app.threads;--", 302, "" },
        { "/threads/{thread}", "Body", "", 400, "cannot be blank" },
        { "/threads/{thread}", "Body", new string('b', 4001), 400, "at most 4000 characters" },
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task A_bad_form_gets_a_4xx_page_with_the_reason(string page, string field, string value, int expected, string shown)
    {
        using var api = NewApiClient();
        var email = ApiClient.NewEmail();
        var token = await api.SignUpAndInAsync(email);
        var thread = await api.CreateThreadAsync(token, "form target");
        using var browser = NewFrontendSession();
        browser.UseSessionToken(token);
        var path = page.Replace("{thread}", thread.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var fields = new Dictionary<string, string> { ["Email"] = email, ["Password"] = ApiClient.Password, [field] = value };

        var html = await browser.SubmitFormAsync(path, fields);

        // A 302 (a created thread) is followed; what matters is that it landed on a page, not on an error.
        var status = expected == 302 ? HttpStatusCode.OK : (HttpStatusCode)expected;
        Assert.True(browser.LastStatus == status, $"{page} {field}: {(int)browser.LastStatus}");
        Assert.Contains(shown, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_without_its_anti_forgery_token_is_refused_with_400()
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "a@example.com", ["Password"] = ApiClient.Password });
        using var response = await http.PostAsync($"{App.Frontend}/register", form, CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Bad request", await response.Content.ReadAsStringAsync(CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_thread_is_a_404_page()
    {
        using var api = NewApiClient();
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail());
        using var browser = NewFrontendSession();
        browser.UseSessionToken(token);

        var html = await browser.GetPageAsync("/threads/999999999");

        Assert.Equal(HttpStatusCode.NotFound, browser.LastStatus);
        Assert.Contains("Not found", html, StringComparison.Ordinal);
    }
}
