using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Reliability;

/// <summary>
/// Faults while the system is under load, on real processes: nothing acknowledged is lost, failures are fast 503s
/// with a reason (never a 500 or a hang), and the system heals by itself.
/// </summary>
[Collection(ReliabilityTests.Name)]
public sealed partial class FaultTests
{
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_postgres_restart_under_load_fails_requests_fast_with_503_and_loses_no_acknowledged_message()
    {
        await using var host = StandaloneHost.Start(database: null);
        var ready = await host.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
        using var api = new ApiClient(ready);
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var thread = await api.CreateThreadAsync(token, "under load");

        var acknowledged = new ConcurrentBag<long>();
        var outcomes = new ConcurrentBag<(HttpStatusCode? Status, TimeSpan Took, string Body, DateTime At)>();
        using var load = new CancellationTokenSource(LoadDuration);
        var clients = Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            for (var i = 0; !load.IsCancellationRequested; i++)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await api.PostMessageAsync(token, thread, $"client {client} message {i}");
                    var body = await response.Content.ReadAsStringAsync();
                    outcomes.Add((response.StatusCode, clock.Elapsed, body, DateTime.UtcNow));
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add(JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64());
                    }
                }
                catch (HttpRequestException ex)
                {
                    outcomes.Add((null, clock.Elapsed, ex.Message, DateTime.UtcNow));
                }

                await Task.Delay(20);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        var dataDirectory = Path.Combine(host.DataDirectory, "postgres", "data");
        await RunAsync("runuser", "-u", "postgres", "--", "/usr/bin/env", "sh", "-c",
            $"PATH=$PATH:$(ls -d /usr/lib/postgresql/*/bin | tail -1) pg_ctl stop -D '{dataDirectory}' -m fast -w && sleep 2 && " +
            $"pg_ctl start -D '{dataDirectory}' -l '{dataDirectory}/../server.log' -o '-p {new Npgsql.NpgsqlConnectionStringBuilder(ready.Database).Port}' -w");
        var backAt = DateTime.UtcNow;
        await Task.WhenAll(clients);

        var unexpected = outcomes.Where(o => o.Status is not (HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable)).ToList();
        Assert.True(unexpected.Count == 0, "unexpected answers: " + string.Join(" | ", unexpected.Take(5).Select(o => $"{(int?)o.Status} {o.Body}")));
        var outage = outcomes.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(outage);
        // The backend's own queries fail with "database"; its session check first fails at auth, which needs the database too.
        Assert.All(outage, o => Assert.Matches("database|auth service", o.Body));
        Assert.All(outage, o => Assert.True(o.Took < TimeSpan.FromSeconds(5), $"a request during the outage hung for {o.Took}"));
        // The issue asks for recovery within 5 s of PostgreSQL being back; the bound here leaves room for a loaded CI.
        var firstSuccessAfter = outcomes.Where(o => o.Status == HttpStatusCode.Created && o.At > backAt).Select(o => o.At).DefaultIfEmpty(DateTime.MaxValue).Min();
        Assert.True(firstSuccessAfter - backAt < TimeSpan.FromSeconds(8), $"no success within 8 s after PostgreSQL was back (first at {firstSuccessAfter:O}, back at {backAt:O}); after: "
            + string.Join(" | ", outcomes.Where(o => o.At > backAt).OrderBy(o => o.At).Take(3).Select(o => $"{o.At:HH:mm:ss.fff} {(int?)o.Status} {o.Body}")));

        var stored = await Catalog.ScalarAsync<long[]>(ready.Database, $"SELECT coalesce(array_agg(id), '{{}}') FROM app.messages WHERE thread_id = {thread}");
        Assert.Empty(acknowledged.Except(stored));
    }

    [Fact]
    public async Task Auth_killed_under_load_makes_the_backend_answer_503_with_a_reason_until_the_host_restarts_it()
    {
        await using var host = StandaloneHost.Start(database: null);
        var ready = await host.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
        using var api = new ApiClient(ready);
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail());
        await api.CreateThreadAsync(token, "auth outage");

        var outcomes = new ConcurrentBag<(HttpStatusCode? Status, string Body, DateTime At)>();
        using var load = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                try
                {
                    using var response = await api.SendAsync(HttpMethod.Get, $"{ready.Backend}/threads", token);
                    outcomes.Add((response.StatusCode, await response.Content.ReadAsStringAsync(), DateTime.UtcNow));
                }
                catch (HttpRequestException ex)
                {
                    outcomes.Add((null, ex.Message, DateTime.UtcNow));
                }

                await Task.Delay(50);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        var authPid = int.Parse(AuthPid().Matches(host.Output)[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var killedAt = DateTime.UtcNow;
        Process.GetProcessById(authPid).Kill();
        await Task.WhenAll(clients);

        Assert.DoesNotContain(outcomes, o => o.Status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable));
        var outage = outcomes.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(outage);
        Assert.All(outage, o => Assert.Contains("auth", o.Body, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(outcomes, o => o.Status == HttpStatusCode.OK && o.At > killedAt && outage.Any(x => x.At < o.At));
        Assert.Matches(@"auth\s+failed\s+.*exited with code 137; restarting", host.Output);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {output}");
    }

    [GeneratedRegex(@"auth\s+running\s+\S+\s+pid (\d+)")]
    private static partial Regex AuthPid();
}
