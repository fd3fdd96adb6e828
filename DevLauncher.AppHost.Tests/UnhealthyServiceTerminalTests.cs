using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Terminal;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// A service that runs but never becomes healthy (the backend of a later release, needing schema 0099): after
/// DevLauncher:Terminal:UnhealthyAfter the terminal says so once, with the reason its health check gave. With 3 s the
/// reason is whatever the check said then: the gate's words once the service answers, or, on a busy machine, that it
/// did not answer in time; either is the check's own, never a placeholder. The app runs in this process with its
/// terminal captured (<see cref="TerminalCapture"/>).
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed partial class UnhealthyServiceTerminalTests
{
    [Fact]
    public async Task A_service_unhealthy_longer_than_UnhealthyAfter_is_one_terminal_line_with_its_health_reason()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(TestAppHost.StartMode, cancellationToken,
            extra: [$"--{FailureReportOptions.SectionName}:{nameof(FailureReportOptions.UnhealthyAfter)}=00:00:03"]);
        host.Builder.CreateResourceBuilder((ProjectResource)host.Resource(ResourceNames.Backend)).WithEnvironment("SchemaGate__RequiredVersion", "99");
        var terminal = TerminalCapture.Replace(host.Builder);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reasons = WatchHealthReasons(await host.StartAsync(cancellationToken), ResourceNames.Backend, watching.Token);

        var line = await terminal.WaitForLineAsync(l => l.StartsWith("backend ", StringComparison.Ordinal), AppResources.WaitTimeout, cancellationToken);
        // Long enough for a second line, were it said twice.
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        await watching.CancelAsync();

        var reported = UnhealthyLine().Match(line);
        Assert.True(reported.Success, line);
        Assert.True(int.Parse(reported.Groups["seconds"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 3, line);
        Assert.Contains(reported.Groups["reason"].Value, reasons);
        Assert.Single(terminal.Lines, l => l.Contains(ResourceNames.Backend, StringComparison.Ordinal));
    }

    /// <summary>Every description the service's failing health checks give, as the dashboard shows them, from now on.</summary>
    private static ConcurrentBag<string> WatchHealthReasons(DistributedApplication app, string service, CancellationToken cancellationToken)
    {
        var reasons = new ConcurrentBag<string>();
        _ = Task.Run(async () =>
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(cancellationToken).WithCancellation(cancellationToken))
            {
                foreach (var report in e.Snapshot.HealthReports.Where(r => e.Resource.Name == service && r.Description is not null))
                {
                    reasons.Add(report.Description!);
                }
            }
        }, cancellationToken);
        return reasons;
    }

    [GeneratedRegex(@"^backend is not healthy after (?<seconds>\d+) s: (?<reason>.+)\. Its console log on the dashboard says more\.$")]
    private static partial Regex UnhealthyLine();
}
