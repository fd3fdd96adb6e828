using System.Net;
using System.Net.Http.Json;
using DevLauncher.Auth.Model;
using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace DevLauncher.Tests.Migrations;

/// <summary>The app's own seeds (services/Migrations/Seeds): a demo user who can sign in, with three threads.</summary>
public sealed class DemoSeedTests(PostgresFixture postgres)
{
    private const string Email = "demo@devlauncher.dev";
    private const string Password = "devlauncher-demo";
    private static readonly string Seeds = Path.Combine(RepositoryPaths.Root, "services", "Migrations", "Seeds");

    [Fact]
    public async Task The_demo_users_stored_hash_verifies_the_demo_password_as_auth_checks_it()
    {
        var database = await SeededDatabaseAsync();
        var id = await Sql.ScalarAsync<Guid>(database, $"SELECT id FROM auth.users WHERE email = '{Email}'");
        var hash = await Sql.ScalarAsync<string>(database, $"SELECT password_hash FROM auth.users WHERE email = '{Email}'");

        var verdict = new PasswordHasher<UserAccount>().VerifyHashedPassword(new UserAccount(id, Email, hash), hash, Password);

        Assert.Equal(PasswordVerificationResult.Success, verdict);
    }

    [Fact]
    public async Task The_demo_user_signs_in_to_auth()
    {
        var database = await SeededDatabaseAsync();
        await using var auth = ServiceProcess.StartAuth(database);

        using var response = await SignInWhenListeningAsync(auth.Http);

        Assert.True(response.StatusCode == HttpStatusCode.Created, auth.Process.Output);
    }

    [Fact]
    public async Task The_demo_user_has_three_threads_with_messages_in_each()
    {
        var database = await SeededDatabaseAsync();

        var messagesPerThread = await Sql.ScalarAsync<long[]>(database, $"""
            SELECT array_agg((SELECT count(*) FROM app.messages m WHERE m.thread_id = t.id) ORDER BY t.id)
            FROM app.threads t JOIN auth.users u ON u.id = t.owner_id WHERE u.email = '{Email}'
            """);

        Assert.Equal(3, messagesPerThread.Length);
        Assert.All(messagesPerThread, count => Assert.True(count >= 2, $"{count} message(s)"));
    }

    [Fact]
    public async Task Two_databases_seeded_one_after_the_other_dump_the_same()
    {
        // Each seeding is a transaction of its own, so now() would differ between the two, as would gen_random_uuid().
        var first = await SeededDatabaseAsync();
        var second = await SeededDatabaseAsync();

        Assert.Equal(await Psql.DumpAsync(first), await Psql.DumpAsync(second));
    }

    private async Task<string> SeededDatabaseAsync()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var result = await InProcessWorker.RunAsync(database, seedsDirectory: Seeds, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        Assert.Equal(["0001_demo.sql"], result.Seeded);
        return database;
    }

    private static async Task<HttpResponseMessage> SignInWhenListeningAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await http.PostAsJsonAsync("/sessions", new SignInRequest(Email, Password), TestContext.Current.CancellationToken);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
    }
}
