using Microsoft.Playwright;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>Debian's Chromium, driven by Playwright (its own browser download cannot work offline).</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(Path), $"{Path} is missing: run scripts/install-prerequisites.sh");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            // Root in CI needs --no-sandbox; the rest keeps Chromium from calling out to a network that is not there.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Kept as a test attachment and under the test output's artifacts/ folder, and returned.</summary>
    public static async Task<string> SaveScreenshotAsync(IPage page, string fileName, bool fullPage = true)
    {
        var artifacts = System.IO.Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var screenshot = System.IO.Path.Combine(artifacts, fileName);
        // Finished animations: a dialog is shown as it stands, not half faded in.
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
        TestContext.Current.AddAttachment(fileName, await File.ReadAllBytesAsync(screenshot, TestContext.Current.CancellationToken), "image/png");
        return screenshot;
    }
}
