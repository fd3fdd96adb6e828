using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>Reset database while the migration files hold one PostgreSQL refuses: its template cannot be built.</summary>
[Collection(OneLoopAppAtATime.Name)]
public sealed class BrokenTemplateTests
{
    private const string Broken = "0008_broken.sql";

    [Fact]
    public async Task A_reset_whose_template_cannot_be_built_refuses_with_the_reason_and_keeps_the_database()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartOnScratchWithoutServicesAsync(cancellationToken);
        await Sql.ExecuteAsync(loop.Owner, "INSERT INTO auth.users (email, password_hash) VALUES ('kept@example.com', 'not a hash')", cancellationToken);

        var reset = await ResetWithBrokenFileAsync(loop, cancellationToken);

        Assert.False(reset.Success);
        Assert.StartsWith($"Nothing was reset: The template could not be built: Migration {Broken} failed and was rolled back: SQLSTATE 42P01",
            reset.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(loop.Owner, "SELECT count(*) FROM auth.users WHERE email = 'kept@example.com'", cancellationToken));
    }

    [Fact]
    public async Task After_a_failed_template_build_the_template_property_says_why_it_failed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var loop = await LoopApp.StartOnScratchWithoutServicesAsync(cancellationToken);

        var reset = await ResetWithBrokenFileAsync(loop, cancellationToken);

        Assert.False(reset.Success);
        var template = LoopApps.DatabaseProperty(loop.App, DevLauncherProperties.Template);
        Assert.NotEqual("building", template);
        Assert.Contains(Broken, template, StringComparison.Ordinal);
    }

    /// <summary>A developer adds a migration PostgreSQL refuses, then presses Reset database before applying it.</summary>
    private static Task<ExecuteCommandResult> ResetWithBrokenFileAsync(LoopApp loop, CancellationToken cancellationToken)
    {
        loop.Migrations.Write(Broken, "CREATE TABLE app.broken (id int REFERENCES app.nowhere);\n");
        return ExecuteAsync(loop.App, ResourceNames.Database, DevLauncherCommands.ResetDatabase, cancellationToken);
    }
}
