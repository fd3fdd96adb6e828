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
    public async Task A_person_posts_in_a_new_thread_in_Chromium()
    {
        await using var browser = await BrowserPage.OpenAsync(App.Frontend);
        await RegisterAndSignInAsync(browser.Page, $"browser-{Guid.NewGuid():N}@example.com");

        await CreateThreadAndPostAsync(browser.Page);

        await Chromium.SaveScreenshotAsync(browser.Page, "thread-page.png");
    }

    [Fact]
    [Trait("Requires", "Browser")]
    public async Task The_session_cookie_is_HttpOnly_with_SameSite_Strict()
    {
        await using var browser = await BrowserPage.OpenAsync(App.Frontend);
        await RegisterAndSignInAsync(browser.Page, $"browser-{Guid.NewGuid():N}@example.com");

        var cookie = (await browser.Page.Context.CookiesAsync()).Single(c => c.Name == "devlauncher_session");

        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
    }

    [Fact]
    [Trait("Requires", "Browser")]
    public async Task A_person_who_signs_out_in_Chromium_is_sent_back_to_sign_in()
    {
        await using var browser = await BrowserPage.OpenAsync(App.Frontend);
        var page = browser.Page;
        await RegisterAndSignInAsync(page, $"browser-{Guid.NewGuid():N}@example.com");
        await CreateThreadAndPostAsync(page);
        var threadUrl = page.Url;

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

    /// <summary>Chromium with one page on the frontend, closed with it.</summary>
    private sealed class BrowserPage(IPlaywright playwright, IBrowser browser, IPage page) : IAsyncDisposable
    {
        public IPage Page => page;

        public static async Task<BrowserPage> OpenAsync(string frontend)
        {
            var playwright = await Playwright.CreateAsync();
            var browser = await Chromium.LaunchAsync(playwright);
            return new BrowserPage(playwright, browser, await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = frontend }));
        }

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
