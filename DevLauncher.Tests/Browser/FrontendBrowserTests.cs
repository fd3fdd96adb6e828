using DevLauncher.Tests.Distributed;
using Microsoft.Playwright;

namespace DevLauncher.Tests.Browser;

/// <summary>
/// The frontend the way a person uses it, in a real Chromium (Debian's /usr/bin/chromium driven by Playwright; its own
/// browser download cannot work offline). Filter with <c>--filter Category=Browser</c>.
/// </summary>
[Trait("Category", "Browser")]
public sealed class FrontendBrowserTests(SharedSystemFixture system) : IClassFixture<SharedSystemFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task A_person_registers_signs_in_creates_a_thread_posts_sees_it_and_signs_out()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run scripts/install-prerequisites.sh");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Root in CI needs --no-sandbox; the rest keeps Chromium from calling out to a network that is not there.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = system.Ready.Frontend });
        var email = $"browser-{Guid.NewGuid():N}@example.com";

        await page.GotoAsync("/register");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", "correct horse battery");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Your account is ready");

        await page.FillAsync("#password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Your threads");

        await page.FillAsync("#title", "Planning <the> launch");
        await page.ClickAsync("main button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Planning <the> launch");

        await page.FillAsync("#body", "First message from a real browser & <b>not bold</b>");
        await page.ClickAsync("main button[type=submit]");
        await Assertions.Expect(page.Locator(".messages .body")).ToHaveTextAsync("First message from a real browser & <b>not bold</b>");
        Assert.Equal(0, await page.Locator(".messages .body b").CountAsync());
        var threadUrl = page.Url;

        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "thread-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.Current.AddAttachment("thread-page.png", await File.ReadAllBytesAsync(screenshot), "image/png");

        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "devlauncher_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        await page.ClickAsync("header button:has-text('Sign out')");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.GotoAsync(threadUrl);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }
}
