using Aspire.Hosting;
using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Playwright;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The dashboard itself, in Chromium: a service waiting for its schema shows the gate's reason, the Apply migrations
/// button runs the worker, and the worker's row and details show the run, with Check and Apply in its menu. Its
/// screenshots are the README's (scripts/dashboard-screenshots.sh copies them to docs/).
/// </summary>
[Collection(OneAppAtATime.Name)]
[Trait("Requires", "Browser")]
public sealed class DashboardScreenshotTests
{
    /// <summary>Where scripts/dashboard-screenshots.sh wants the screenshots copied; unset in an ordinary test run.</summary>
    public const string OutputVariable = "DEVLAUNCHER_SCREENSHOT_DIR";

    private static readonly float Patience = (float)TimeSpan.FromMinutes(2).TotalMilliseconds;

    [Fact]
    public async Task The_resources_page_shows_the_gates_reason_runs_Apply_migrations_and_shows_the_run_and_the_commands()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var migrations = ScratchMigrations.CopyOfScripts();
        await using var host = await StartOnScratchAsync(migrations, ResourceNames.Backend, "SchemaGate__RequiredVersion", "8", cancellationToken, dashboard: true);
        var app = host.App!;
        await WaitForHealthAsync(app, ResourceNames.Backend, HealthStatus.Unhealthy, SchemaGateReason.Versions(8, 7), cancellationToken);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        page.SetDefaultTimeout(Patience);
        await page.GotoAsync((await app.GetDashboardUrlAsync(cancellationToken)).ToString());
        await DismissNoticesAsync(page);

        await ShowDetailsAsync(page, ResourceNames.Backend);
        var reason = page.GetByText(SchemaGateReason.Versions(8, 7), new() { Exact = true });
        await Expect(reason).ToBeVisibleAsync(new() { Timeout = Patience });
        await reason.ScrollIntoViewIfNeededAsync();
        await SaveAsync(page, "dashboard-gate-reason.png");

        migrations.Write("0008_app_notes.sql", "CREATE TABLE app.notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);\n");
        await Row(page, ResourceNames.Migrations).Locator($"[title='{MigrationCommands.ApplyDescription}']").ClickAsync();
        await WaitForRunAsync(app, 2, cancellationToken);
        await Expect(Row(page, ResourceNames.Migrations)).ToContainTextAsync("0008, 1 applied", new() { Timeout = Patience });
        Assert.Equal(ResourceCommandState.Enabled, Current(app, ResourceNames.Migrations).Commands.Single(c => c.Name == MigrationCommands.Apply).State);
        // The backend's gate opens by itself, without a restart, once the schema it needs is there.
        await WaitForHealthAsync(app, ResourceNames.Backend, HealthStatus.Healthy, SchemaGateReason.Versions(8, 8), cancellationToken);
        // The page greys a command while it runs and shows it again only with the resource's next update: a fresh page shows it as it is.
        await page.ReloadAsync();
        await DismissNoticesAsync(page);

        await ShowDetailsAsync(page, ResourceNames.Migrations);
        await Expect(page.GetByText("Schema version", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = Patience });
        await Expect(page.GetByText("Lock wait", new() { Exact = true })).ToBeVisibleAsync();
        await SaveAsync(page, "dashboard-resources.png");

        await ShowMenuAsync(page, ResourceNames.Migrations, "Check migrations");
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Apply migrations" })).ToBeVisibleAsync();
        await SaveAsync(page, "dashboard-commands.png");

        await page.Keyboard.PressAsync("Escape");
        await ShowMenuAsync(page, ResourceNames.Database, "Reset database");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Reset database" }).ClickAsync();
        await Expect(page.GetByText("Drop the database appdb", new() { Exact = false })).ToBeVisibleAsync(new() { Timeout = Patience });
        await SaveAsync(page, "dashboard-reset-confirmation.png");
        // No reset: the dialog is dismissed, as its No button does.
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByText("Drop the database appdb", new() { Exact = false })).ToBeHiddenAsync(new() { Timeout = Patience });

        var owner = (await AppEndpoints.OfAsync(app, cancellationToken)).Database;
        Assert.Equal(8L, await Sql.ScalarAsync<long>(owner, $"SELECT count(*) FROM {SchemaHistory.Table}", cancellationToken));
    }

    private static async Task ShowMenuAsync(IPage page, string resource, string command)
    {
        await Row(page, resource).Locator("[aria-label='Actions']").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = command })).ToBeVisibleAsync(new() { Timeout = Patience });
    }

    private static ILocator Row(IPage page, string resource) =>
        page.Locator("tr[role=row]").Filter(new() { Has = page.Locator($"td[title$=': {resource}']") });

    private static async Task ShowDetailsAsync(IPage page, string resource) =>
        await Row(page, resource).Locator($"td[title$=': {resource}']").ClickAsync();

    /// <summary>The certificate notice of a machine without a developer certificate has nothing to do with this page.</summary>
    private static async Task DismissNoticesAsync(IPage page)
    {
        await Expect(Row(page, ResourceNames.Migrations)).ToBeVisibleAsync(new() { Timeout = Patience });
        foreach (var dismiss in await page.Locator("[aria-label='Dismiss notification']").AllAsync())
        {
            await dismiss.ClickAsync();
        }
    }

    private static async Task SaveAsync(IPage page, string fileName)
    {
        var screenshot = await Chromium.SaveScreenshotAsync(page, fileName, fullPage: false);
        if (Environment.GetEnvironmentVariable(OutputVariable) is { Length: > 0 } output)
        {
            Directory.CreateDirectory(output);
            File.Copy(screenshot, Path.Combine(output, fileName), overwrite: true);
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
