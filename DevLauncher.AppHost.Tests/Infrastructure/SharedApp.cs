using Aspire.Hosting;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// One started app, dashboard included, for the tests that only use it (a class fixture): starting the app costs more
/// than most of those tests, and none of them stops or breaks anything.
/// </summary>
public sealed class SharedApp : IAsyncLifetime
{
    private TestAppHost? _host;
    private HttpClient? _dashboard;

    public DistributedApplication App => _host?.App ?? throw new InvalidOperationException("The app has not started.");

    public AppEndpoints Endpoints { get; private set; } = null!;

    public TelemetryApi Telemetry { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        try
        {
            await StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            // A fixture that fails to start is not disposed by xunit: its processes must not outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _dashboard?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var apiKey = Guid.NewGuid().ToString("N");
        _host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken, dashboard: true,
            extra: [$"--AppHost:DashboardApiKey={apiKey}", $"--AppHost:OtlpApiKey={Guid.NewGuid():N}"]);
        var app = await _host.StartAsync(cancellationToken);
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
        Endpoints = await AppEndpoints.OfAsync(app, cancellationToken);

        _dashboard = new HttpClient { BaseAddress = new Uri((await app.GetDashboardUrlAsync(cancellationToken)).GetLeftPart(UriPartial.Authority)) };
        _dashboard.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        Telemetry = new TelemetryApi(_dashboard);
    }
}
