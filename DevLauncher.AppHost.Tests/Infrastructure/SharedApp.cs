namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// One started app, dashboard included, for the tests that only use it (a class fixture): starting the app costs more
/// than most of those tests, and none of them stops or breaks anything.
/// </summary>
public sealed class SharedApp : AppScenario
{
    public AppEndpoints Endpoints { get; private set; } = null!;

    public TelemetryApi Telemetry { get; private set; } = null!;

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var apiKey = Guid.NewGuid().ToString("N");
        var host = Own(await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken, dashboard: true,
            extra: [$"--AppHost:DashboardApiKey={apiKey}", $"--AppHost:OtlpApiKey={Guid.NewGuid():N}"]));
        await host.StartAsync(cancellationToken);
        await AppResources.WaitForServicesHealthyAsync(App, cancellationToken);
        Endpoints = await AppEndpoints.OfAsync(App, cancellationToken);

        var dashboard = new HttpClient { BaseAddress = new Uri((await App.GetDashboardUrlAsync(cancellationToken)).GetLeftPart(UriPartial.Authority)) };
        OwnDisposable(dashboard);
        dashboard.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        Telemetry = new TelemetryApi(dashboard);
    }
}
