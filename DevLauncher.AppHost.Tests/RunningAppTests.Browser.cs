using Microsoft.Playwright;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The frontend the way a person uses it, in a real Chromium (Debian's /usr/bin/chromium driven by Playwright; its own
/// browser download cannot work offline). Filter with <c>--filter Requires=Browser</c>.
/// </summary>
public sealed partial class RunningAppTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    [Trait("Requires", "Browser")]
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
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = App.Frontend });

        await RegisterAndSignInAsync(page, $"browser-{Guid.NewGuid():N}@example.com");
        await CreateThreadAndPostAsync(page);
        var threadUrl = page.Url;
        await SaveScreenshotAsync(page);

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

    /// <summary>Kept as a test attachment and under the test output's artifacts/ folder.</summary>
    private static async Task SaveScreenshotAsync(IPage page)
    {
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "thread-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.Current.AddAttachment("thread-page.png", await File.ReadAllBytesAsync(screenshot, CancellationToken), "image/png");
    }
}
