using Aspire.Hosting;
using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The AppHost's settings for what the Standalone host's options did: <c>DevLauncher:MigrationsDirectory</c> (was
/// <c>--migrations-dir</c>) and <c>DevLauncher:Postgres:Reset</c> (was <c>--reset</c>). Nothing is started.
/// </summary>
public sealed class ConfigurationTests
{
    private const string Existing = "--ConnectionStrings:appdb=Host=db.internal;Database=devlauncher;Username=owner;Password=owner-secret";

    [Fact]
    public async Task The_worker_gets_Migrations_Directory_only_when_DevLauncher_MigrationsDirectory_is_set_made_absolute_against_the_AppHost_folder()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var embedded = await TestAppHost.CreateAsync(PostgresMode.Auto, cancellationToken, extra: [Existing]))
        {
            Assert.False((await WorkerEnvironmentAsync(embedded, cancellationToken)).ContainsKey("Migrations__Directory"));
        }

        await using var folder = await TestAppHost.CreateAsync(PostgresMode.Auto, cancellationToken, extra: [Existing, $"--{WorkerFiles.MigrationsDirectoryKey}=../my-migrations"]);
        var expected = Path.GetFullPath(Path.Combine(folder.Builder.AppHostDirectory, "..", "my-migrations"));
        Assert.Equal(expected, (await WorkerEnvironmentAsync(folder, cancellationToken))["Migrations__Directory"]);
    }

    [Fact]
    public async Task Reset_deletes_the_local_data_folder_before_anything_starts_and_without_it_the_folder_is_kept()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"devlauncher-reset-{Guid.NewGuid():N}");
        var cluster = Path.Combine(dataDirectory, "data", "PG_VERSION");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cluster)!);
            await File.WriteAllTextAsync(cluster, "15", cancellationToken);
            string[] local = [$"--{PostgresSettings.DataDirectoryKey}={dataDirectory}"];

            await using (await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken, extra: local))
            {
                Assert.True(File.Exists(cluster), "the data folder went without DevLauncher:Postgres:Reset");
            }

            await using (await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken, extra: [.. local, $"--{PostgresSettings.DeleteDataKey}=true"]))
            {
                Assert.False(Directory.Exists(dataDirectory), "the data folder is still there with DevLauncher:Postgres:Reset=true");
            }
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("container", "", "docker volume rm")]
    [InlineData("existing", "Host=db.internal;Database=devlauncher;Username=owner;Password=owner-secret", "does not apply")]
    public async Task Reset_of_a_container_or_an_existing_server_stops_the_AppHost_with_one_line_naming_the_key_and_what_to_do_instead(
        string mode, string connectionString, string instead)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // Run as the README's run command does: the line is what a developer sees, and nothing starts.
        await using var apphost = AppHostProcess.Start(new Dictionary<string, string>(),
            $"--ConnectionStrings:{ResourceNames.Database}={connectionString}",
            $"--{PostgresSettings.ModeKey}={mode}",
            $"--{PostgresSettings.DeleteDataKey}=true");

        Assert.True(await apphost.WaitForExitAsync(TestAppHost.StartTimeout, cancellationToken), apphost.Output);
        Assert.Equal(2, apphost.ExitCode);
        var line = Assert.Single(apphost.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(PostgresSettings.DeleteDataKey, line, StringComparison.Ordinal);
        Assert.Contains(instead, line, StringComparison.Ordinal);
    }

    /// <summary>The worker's environment as the AppHost's callbacks write it, values not yet resolved.</summary>
    private static async Task<Dictionary<string, object>> WorkerEnvironmentAsync(TestAppHost host, CancellationToken cancellationToken)
    {
        var worker = host.Resource(ResourceNames.Migrations);
        // Publish mode: the callbacks that need the running app's services skip themselves.
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), worker, cancellationToken: cancellationToken);
        foreach (var callback in worker.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables;
    }
}
