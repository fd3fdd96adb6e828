using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Security;

/// <summary>
/// The service role is the server's, the migration lock a database's: workers of several databases on one server (two
/// branches' databases, two AppHosts) set the role's password at the same moment, which PostgreSQL may refuse once
/// with XX000 "tuple concurrently updated".
/// </summary>
public sealed class ServicePasswordRaceTests(PostgresFixture postgres)
{
    private const int Databases = 8;
    private const int Rounds = 5;

    [Fact]
    public async Task Workers_of_several_databases_setting_the_service_password_at_once_all_finish_with_0()
    {
        var databases = await Task.WhenAll(Enumerable.Range(0, Databases).Select(_ => postgres.CreateMigratedDatabaseAsync()));

        for (var round = 0; round < Rounds; round++)
        {
            var results = await Task.WhenAll(databases.Select(d => InProcessWorker.RunAsync(d, servicePassword: postgres.ServicePassword)));

            Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        }
    }
}
