using DevLauncher.LocalPostgres;

namespace DevLauncher.Tests.LocalPostgres;

public sealed class LocalPostgresServerTests
{
    [Fact]
    public void Missing_binaries_give_an_error_that_says_how_to_install_them()
    {
        var error = Assert.Throws<PostgresNotInstalledException>(() => PostgresBinaries.Find("/nonexistent/postgresql/bin"));

        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains(PostgresBinaries.EnvironmentVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/postgresql/bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_stops_when_disposed()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"devlauncher-embedded-{Guid.NewGuid():N}");
        try
        {
            await (await LocalPostgresServer.StartAsync(new LocalPostgresServerOptions { Directory = directory })).DisposeAsync();

            Assert.False(File.Exists(Path.Combine(directory, "data", "postmaster.pid")), "the server is still running after dispose");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_cluster_started_again_keeps_what_its_first_run_left()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"devlauncher-embedded-{Guid.NewGuid():N}");
        try
        {
            string firstPassword;
            await using (var first = await LocalPostgresServer.StartAsync(new LocalPostgresServerOptions { Directory = directory }))
            {
                Assert.True(first.Initialized);
                await Sql.ExecuteAsync(first.GetConnectionString(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
                firstPassword = first.SuperUserPassword;
            }

            await using var second = await LocalPostgresServer.StartAsync(new LocalPostgresServerOptions { Directory = directory });
            Assert.False(second.Initialized);
            Assert.Equal(firstPassword, second.SuperUserPassword);
            Assert.Equal("still here", await Sql.ScalarAsync<string>(second.GetConnectionString(), "SELECT v FROM kept"));
            Assert.Equal("600", Convert.ToString((int)File.GetUnixFileMode(Path.Combine(directory, "superuser.password")), 8));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
