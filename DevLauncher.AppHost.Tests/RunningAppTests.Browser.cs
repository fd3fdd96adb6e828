using DevLauncher.AppHost.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The frontend the way a person uses it, in a real Chromium (Debian's /usr/bin/chromium driven by Playwright; its own
/// browser download cannot work offline). Filter with <c>--filter Requires=Browser</c>.
/// </summary>
public sealed partial class RunningAppTests
{
    [Fact]
    [Trait("Requires", "Browser")]
    public async Task A_person_registers_signs_in_creates_a_thread_posts_sees_it_and_signs_out()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = App.Frontend });

        await RegisterAndSignInAsync(page, $"browser-{Guid.NewGuid():N}@example.com");
        await CreateThreadAndPostAsync(page);
        var threadUrl = page.Url;
        await Chromium.SaveScreenshotAsync(page, "thread-page.png");

        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "devlauncher_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        await page.ClickAsync("header button:has-text('Sign out')");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.GotoAsync(threadUrl);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }

    private static async Task RegisterAndSignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/register");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Infrastructure.ApiClient.Password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Your account is ready");

        await page.FillAsync("#password", Infrastructure.ApiClient.Password);
        await page.ClickAsync("main button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Your threads");
    }

    private static async Task CreateThreadAndPostAsync(IPage page)
    {
        await page.FillAsync("#title", "Planning <the> launch");
        await page.ClickAsync("main button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Planning <the> launch");

        await page.FillAsync("#body", "First message from a real browser & <b>not bold</b>");
        await page.ClickAsync("main button[type=submit]");
        await Assertions.Expect(page.Locator(".messages .body")).ToHaveTextAsync("First message from a real browser & <b>not bold</b>");
        Assert.Equal(0, await page.Locator(".messages .body b").CountAsync());
    }
}
