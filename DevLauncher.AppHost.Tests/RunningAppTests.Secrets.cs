using DevLauncher.AppHost.Tests.Infrastructure;
using Npgsql;

namespace DevLauncher.AppHost.Tests;

/// <summary>No password or token reaches what a developer reads: the console logs, the structured logs, the spans.</summary>
public sealed partial class RunningAppTests
{
    [Fact]
    public async Task No_password_or_token_reaches_any_log_line_or_span()
    {
        using var api = NewApiClient();
        var password = $"secret-{Guid.NewGuid():N}";
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail(), password);
        var threadId = await api.CreateThreadAsync(token, "Secrets");
        (await api.PostMessageAsync(token, threadId, "hello")).Dispose();
        (await api.SendAsync(HttpMethod.Get, $"{App.Backend}/threads/{threadId}/messages", token)).Dispose();

        var (spans, logs) = await TelemetryOfThreadAsync(threadId);
        var console = await ResourceLogs.AllAsync(shared.App, CancellationToken);
        // The scan must have something to scan: every statement's text is a span attribute, and each service logged.
        Assert.Contains("db.query.text", spans, StringComparison.Ordinal);
        Assert.All(AppResources.Services, s => Assert.Contains(console, l => l.Resource == s));

        string[] secrets =
        [
            password,
            token,
            new NpgsqlConnectionStringBuilder(App.Database).Password!,
            new NpgsqlConnectionStringBuilder(App.ServiceDatabase).Password!,
        ];
        Assert.All(secrets, secret =>
        {
            Assert.DoesNotContain(secret, spans, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(console, l => l.Line.Contains(secret, StringComparison.Ordinal));
        });
    }

    /// <summary>
    /// Every span and structured log record, once those of the run's last request have arrived: a scan of less than the
    /// whole run would prove nothing.
    /// </summary>
    private async Task<(string Spans, string Logs)> TelemetryOfThreadAsync(long threadId)
    {
        using var deadline = new CancellationTokenSource(AppResources.WaitTimeout);
        while (!deadline.IsCancellationRequested)
        {
            var spans = await shared.Telemetry.SpansJsonAsync(CancellationToken);
            var logs = await shared.Telemetry.LogsJsonAsync(CancellationToken);
            if (spans.Contains($"/threads/{threadId}/messages", StringComparison.Ordinal)
                && logs.Contains($"messages of thread {threadId}", StringComparison.Ordinal))
            {
                return (spans, logs);
            }

            // Exporters send in batches, seconds apart.
            await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken);
        }

        throw new TimeoutException($"The dashboard did not receive the spans and logs of thread {threadId}'s requests in {AppResources.WaitTimeout}.");
    }
}
