namespace DevLauncher.AppHost.Tests.Consumer;

/// <summary>
/// Proof of reuse: a new solution with its own topology (one API, its own worker with two migrations and a seed) on
/// the packed packages, run under DCP and driven through the Aspire CLI. Each test leaves the scripts as it found them.
/// </summary>
[Collection(OneConsumerApp.Name)]
public sealed class ConsumerTests(ConsumerApp app)
{
    [Fact]
    public void The_schema_is_applied_once_and_the_api_turns_healthy()
    {
        // ConsumerApp waited for `aspire wait api --status healthy`; the history then held the two migrations.
        Assert.Equal(2L, app.HistoryAtStart);
    }

    [Fact]
    public async Task Reset_database_brings_back_the_seeded_rows()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await Sql.ExecuteAsync(app.Database, "INSERT INTO shop.products (name) VALUES ('added-before-reset')", cancellationToken);

        var reset = await app.CliAsync("resource", "appdb", DevLauncherCommands.ResetDatabase);

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(app.Database, "SELECT count(*) FROM shop.products WHERE name = 'added-before-reset'", cancellationToken));
        Assert.Equal(2L, await Sql.ScalarAsync<long>(app.Database, "SELECT count(*) FROM shop.products", cancellationToken));
    }

    [Fact]
    public async Task Apply_runs_a_new_migration_and_Undo_takes_it_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var third = app.Solution.WriteMigration("0003_orders.sql", "CREATE TABLE shop.orders (id bigint PRIMARY KEY);");
        try
        {
            var apply = await app.CliAsync("resource", "migrations", DevLauncherCommands.ApplyMigrations);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            Assert.Equal(3L, await HistoryAsync(cancellationToken));

            var undo = await app.CliAsync("resource", "migrations", DevLauncherCommands.UndoMigration);
            Assert.True(undo.ExitCode == 0, undo.ToString());
            Assert.Equal(2L, await HistoryAsync(cancellationToken));
            Assert.True(await Sql.ScalarAsync<bool>(app.Database, "SELECT to_regclass('shop.orders') IS NULL", cancellationToken));
        }
        finally
        {
            File.Delete(third);
        }
    }

    [Fact]
    public async Task A_broken_migration_is_one_line_in_the_terminal()
    {
        var broken = app.Solution.WriteMigration("0003_broken.sql", "SELECT * FROM shop.nope;");
        try
        {
            var apply = await app.CliAsync("resource", "migrations", DevLauncherCommands.ApplyMigrations);

            Assert.NotEqual(0, apply.ExitCode);
            var line = await FailureLineAsync();
            Assert.Contains("0003_broken.sql", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
            var again = await app.CliAsync("resource", "migrations", DevLauncherCommands.ApplyMigrations);
            Assert.True(again.ExitCode == 0, again.ToString());
        }
    }

    private Task<long> HistoryAsync(CancellationToken cancellationToken) =>
        Sql.ScalarAsync<long>(app.Database, "SELECT count(*) FROM devlauncher.schema_history", cancellationToken);

    /// <summary>The AppHost writes the line as the run ends, which may be just after the command returns.</summary>
    private async Task<string> FailureLineAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var lines = app.AppHost.OutputLines.Where(l => l.StartsWith("migrations failed (exit code", StringComparison.Ordinal)).ToList();
            if (lines.Count > 0)
            {
                Assert.Single(lines);
                return lines[0];
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
        }
    }
}
