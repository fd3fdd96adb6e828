using System.Globalization;
using Aspire.Hosting;
using DevLauncher.AppHost.Terminal;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// A service that runs but never becomes healthy (the backend of a later release, needing a schema the files do not
/// have): after DevLauncher:Terminal:UnhealthyAfter the terminal says so once, with its health check's reason. The
/// app runs in this process with its terminal captured (<see cref="TerminalCapture"/>).
/// </summary>
[Collection(OneAppAtATime.Name)]
[Trait("Requires", "AppHost")]
public sealed class UnhealthyServiceTerminalTests
{
    [Fact]
    public async Task A_service_unhealthy_longer_than_UnhealthyAfter_is_one_terminal_line_with_its_health_reason()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken,
            extra: [$"--{FailureReportOptions.SectionName}:{nameof(FailureReportOptions.UnhealthyAfter)}=00:00:03"]);
        host.Builder.CreateResourceBuilder((ProjectResource)host.Resource(ResourceNames.Backend)).WithEnvironment("SchemaGate__RequiredVersion", "99");
        var terminal = TerminalCapture.Replace(host.Builder);
        var app = await host.StartAsync(cancellationToken);
        await AppResources.WaitForHealthyAsync(app, ResourceNames.Auth, cancellationToken);
        await AppResources.WaitForHealthyAsync(app, ResourceNames.Frontend, cancellationToken);

        var line = await terminal.WaitForLineAsync(l => l.StartsWith("backend ", StringComparison.Ordinal), AppResources.WaitTimeout, cancellationToken);
        // Long enough for a second line, were it said twice.
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);

        var version = long.Parse(ScratchMigrations.Scripts[^1][..4], CultureInfo.InvariantCulture);
        Assert.Matches($@"^backend is not healthy after [3-9] s: {SchemaGateReason.Versions(99, version)}\. ", line);
        Assert.Single(terminal.Lines, l => l.Contains(ResourceNames.Backend, StringComparison.Ordinal));
    }
}
