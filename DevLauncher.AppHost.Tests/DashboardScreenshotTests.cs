using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Playwright;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The dashboard itself, in Chromium, on one app whose backend needs a migration nobody has written yet (a class
/// fixture): the Apply migrations button, the worker's run in its details, its menu, Reset's confirmation. Its
/// screenshots are the README's (scripts/dashboard-screenshots.sh copies them to docs/).
/// </summary>
[Collection(OneAppAtATime.Name)]
[Trait("Requires", "Browser")]
public sealed class DashboardScreenshotTests(DashboardScreenshotTests.Dashboard dashboard) : IClassFixture<DashboardScreenshotTests.Dashboard>
{
    /// <summary>Where scripts/dashboard-screenshots.sh wants the screenshots copied; unset in an ordinary test run.</summary>
    public const string OutputVariable = "DEVLAUNCHER_SCREENSHOT_DIR";

    private const string ResetConfirmation = "Replace the database with a fresh copy of its template";
    private static readonly float Patience = (float)TimeSpan.FromMinutes(2).TotalMilliseconds;

    [Fact]
    public async Task Apply_migrations_on_the_page_opens_the_gate_the_page_showed_closed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var page = await dashboard.OpenAsync();
        await ShowDetailsAsync(page, ResourceNames.Backend);
        var reason = page.GetByText(SchemaGateReason.Versions(8, 7), new() { Exact = true });
        await Expect(reason).ToBeVisibleAsync(new() { Timeout = Patience });
        await reason.ScrollIntoViewIfNeededAsync();
        await SaveAsync(page, "dashboard-gate-reason.png");

        dashboard.Migrations.Write("0008_app_notes.sql", "CREATE TABLE app.notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);\n");
        await Row(page, ResourceNames.Migrations).Locator($"[title='{MigrationCommands.ApplyDescription}']").ClickAsync();
        await WaitForRunAsync(dashboard.App, 2, cancellationToken);
        // The backend's gate opens by itself, without a restart, once the schema it needs is there.
        await WaitForHealthAsync(dashboard.App, ResourceNames.Backend, HealthStatus.Healthy, SchemaGateReason.Versions(8, 8), cancellationToken);

        // The page greys a command while it runs and shows it again only with the resource's next update: a fresh page shows it as it is.
        await page.ReloadAsync();
        await DismissNoticesAsync(page);
        await ShowDetailsAsync(page, ResourceNames.Migrations);
        await Expect(page.GetByText("at 0008, 1 applied", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = Patience });
        await Expect(page.GetByText("Schema version", new() { Exact = true })).ToBeVisibleAsync();
        await SaveAsync(page, "dashboard-resources.png");
    }

    [Fact]
    public async Task The_workers_menu_offers_the_migration_commands()
    {
        var page = await dashboard.OpenAsync();

        await ShowMenuAsync(page, ResourceNames.Migrations, "Apply migrations");
        // With more commands than fit, the dashboard keeps the rest under Commands.
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Commands", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Check migrations", Exact = true })).ToBeVisibleAsync(new() { Timeout = Patience });
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Undo last migration", Exact = true })).ToBeVisibleAsync();
        await SaveAsync(page, "dashboard-commands.png");
    }

    [Fact]
    public async Task Dismissing_Resets_confirmation_resets_nothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var page = await dashboard.OpenAsync();
        var owner = (await AppEndpoints.OfAsync(dashboard.App, cancellationToken)).Database;
        await Sql.ExecuteAsync(owner, "INSERT INTO auth.users (email, password_hash) VALUES ('kept@example.com', 'not a hash')", cancellationToken);
        await ShowMenuAsync(page, ResourceNames.Database, "Reset database");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Reset database", Exact = true }).ClickAsync();
        await Expect(page.GetByText(ResetConfirmation, new() { Exact = false })).ToBeVisibleAsync(new() { Timeout = Patience });
        await SaveAsync(page, "dashboard-reset-confirmation.png");

        // Dismissed, as its No button does.
        await page.Keyboard.PressAsync("Escape");

        await Expect(page.GetByText(ResetConfirmation, new() { Exact = false })).ToBeHiddenAsync(new() { Timeout = Patience });
        Assert.Equal(1L, await Sql.ScalarAsync<long>(owner, "SELECT count(*) FROM auth.users WHERE email = 'kept@example.com'", cancellationToken));
    }

    /// <summary>
    /// Opens the row's Actions menu. A page that has just loaded shows its rows before their buttons answer (the
    /// dashboard's interactive circuit connects afterwards), so a click that opened nothing is made again.
    /// </summary>
    private static async Task ShowMenuAsync(IPage page, string resource, string command)
    {
        var item = page.GetByRole(AriaRole.Menuitem, new() { Name = command, Exact = true });
        for (var attempt = 1; ; attempt++)
        {
            await Row(page, resource).Locator("[aria-label='Actions']").ClickAsync();
            try
            {
                await Expect(item).ToBeVisibleAsync(new() { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 20)
            {
                await page.Keyboard.PressAsync("Escape");
            }
        }
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

    /// <summary>The app on a copy of the worker's files, its backend waiting for 0008, its dashboard open to Chromium.</summary>
    public sealed class Dashboard : AppScenario
    {
        private IPlaywright? _playwright;
        private IBrowser? _browser;

        public ScratchMigrations Migrations { get; private set; } = null!;

        /// <summary>A page of its own on the Resources page, closed with the fixture.</summary>
        public async Task<IPage> OpenAsync()
        {
            var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
            page.SetDefaultTimeout(Patience);
            await page.GotoAsync((await App.GetDashboardUrlAsync(TestContext.Current.CancellationToken)).ToString());
            await DismissNoticesAsync(page);
            return page;
        }

        protected override async Task RunAsync(CancellationToken cancellationToken)
        {
            Migrations = Own(ScratchMigrations.CopyOfScripts());
            Own(await StartOnScratchAsync(Migrations, ResourceNames.Backend, "SchemaGate__RequiredVersion", "8", cancellationToken, dashboard: true));
            await WaitForHealthAsync(App, ResourceNames.Backend, HealthStatus.Unhealthy, SchemaGateReason.Versions(8, 7), cancellationToken);
            _playwright = await Playwright.CreateAsync();
            OwnDisposable(_playwright);
            _browser = Own(await Chromium.LaunchAsync(_playwright));
        }
    }
}
