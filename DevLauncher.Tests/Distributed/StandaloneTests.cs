using System.Net;
using System.Text.RegularExpressions;
using DevLauncher.Migrations.Model;
using DevLauncher.Migrations.Runner;
using DevLauncher.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DevLauncher.Tests.Distributed;

/// <summary>The Standalone host as users run it: whole system up, down, and the seed's concurrent start.</summary>
public sealed class StandaloneTests(PostgresFixture postgres)
{
    private static readonly IReadOnlyList<long> AllVersions =
        new MigrationScriptSource(Options.Create(new MigrationOptions())).Load().Select(s => s.Version).ToList();

    [Fact]
    public async Task Three_hosts_started_at_the_same_moment_on_one_database_all_come_up_and_migrate_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        var hosts = Enumerable.Range(0, 3).Select(_ => StandaloneHost.Start(database)).ToList();
        try
        {
            var ready = await Task.WhenAll(hosts.Select(h => h.WaitUntilReadyAsync(TimeSpan.FromMinutes(3))));

            using var http = new HttpClient();
            foreach (var endpoint in ready.SelectMany(r => new[] { r.Auth, r.Backend, r.Frontend }))
            {
                using var health = await http.GetAsync($"{endpoint}/health");
                Assert.True(health.IsSuccessStatusCode, $"{endpoint}/health answered {(int)health.StatusCode}");
            }

            // Each worker sets the shared role's password: the hosts must agree on it, or the services of all but the
            // last would be locked out of every new connection.
            foreach (var serviceDatabase in ready.Select(r => new NpgsqlConnectionStringBuilder(r.ServiceDatabase) { Pooling = false }))
            {
                Assert.Equal(ServiceRole.Name, await Catalog.ScalarAsync<string>(serviceDatabase.ConnectionString, "SELECT current_user::text"));
            }

            Assert.Equal(AllVersions.Select(v => (v, 1L)), await Catalog.HistoryAsync(database));
            Assert.Single(hosts, h => h.Output.Contains($"Applied {AllVersions.Count} migration(s)", StringComparison.Ordinal));
            Assert.Equal(2, hosts.Count(h => h.Output.Contains("nothing to apply", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_broken_migration_stops_the_host_with_the_workers_error_and_starts_no_service()
    {
        using var folder = new MigrationFolder()
            .Write("0001_ok.sql", "CREATE TABLE public.ok (id int);")
            .Write("0002_broken.sql", "CREATE TABLE public.half (id int);\nSELEC 1;");
        await using var host = StandaloneHost.Start(await postgres.CreateDatabaseAsync(), "--migrations-dir", folder.Path);

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(ExitCodes.MigrationFailed, exitCode);
        Assert.Contains("Migration 0002_broken.sql failed and was rolled back: SQLSTATE 42601", host.Output, StringComparison.Ordinal);
        Assert.Contains("No service was started.", host.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"^(auth|backend|frontend)\s+\|", RegexOptions.Multiline), host.Output);
        Assert.All(Enumerable.Range(host.PortBase, 3), port => Assert.False(StandaloneHost.IsListening(port), $"port {port} is listening"));
    }

    public enum StopSignal
    {
        /// <summary>A service manager's stop: SIGTERM to the host alone.</summary>
        SigtermToTheHost,

        /// <summary>Ctrl-C in a terminal: SIGINT to the host and its services at once, so they exit on their own too.</summary>
        CtrlCToItsProcessGroup,
    }

    [Theory]
    [InlineData(StopSignal.SigtermToTheHost)]
    [InlineData(StopSignal.CtrlCToItsProcessGroup)]
    public async Task Stopping_the_host_stops_the_services_then_the_embedded_postgres_and_exits_zero(StopSignal signal)
    {
        await using var host = StandaloneHost.Start(database: null);
        var ready = await host.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
        using (var http = new HttpClient())
        using (var health = await http.GetAsync($"{ready.Frontend}/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var postmasterPid = Path.Combine(host.DataDirectory, "postgres", "data", "postmaster.pid");
        Assert.True(File.Exists(postmasterPid));

        if (signal == StopSignal.SigtermToTheHost)
        {
            host.SendSigterm();
        }
        else
        {
            host.SendCtrlC();
        }

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, host.Output);
        Assert.All(Enumerable.Range(host.PortBase, 3), port => Assert.False(StandaloneHost.IsListening(port), $"port {port} is still listening"));
        Assert.False(File.Exists(postmasterPid), "PostgreSQL is still running");
        Assert.Contains("Stopping: services first, then PostgreSQL.", host.Output, StringComparison.Ordinal);
        var servicesStopped = Regex.Matches(host.Output, @"^\S+ (auth|backend|frontend)\s+stopped\b", RegexOptions.Multiline);
        Assert.Equal(["auth", "backend", "frontend"], servicesStopped.Select(m => m.Groups[1].Value).Distinct().Order());
        var postgresStopped = Regex.Match(host.Output, @"^\S+ postgres\s+stopped\b", RegexOptions.Multiline);
        Assert.True(postgresStopped.Success && postgresStopped.Index > servicesStopped.Max(m => m.Index),
            $"PostgreSQL did not stop after the services:{Environment.NewLine}{host.Output}");
    }
}
