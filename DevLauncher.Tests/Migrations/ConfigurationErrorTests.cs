using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Migrations;

/// <summary>Bad configuration: exit 2 with one line that names the key and the bad value, no stack trace, no password.</summary>
public sealed class ConfigurationErrorTests(PostgresFixture postgres)
{
    private const string Secret = "hunter2-do-not-print";

    public static TheoryData<string, string, string> BadConfiguration => new()
    {
        { "Migrations__LockTimeout", "abc", "Migrations:LockTimeout is 'abc'" },
        { "Migrations__LockTimeout", "-00:00:05", "Migrations:LockTimeout must be between" },
        { "ConnectionStrings__appdb", $"Host=127.0.0.1;Port=abc;Username=postgres;Password={Secret};Database=appdb", "ConnectionStrings:appdb: Port 'abc'" },
        { "ConnectionStrings__appdb", $"Host=127.0.0.1;Password={Secret};Colour=blue", "ConnectionStrings:appdb: unknown keyword 'Colour'" },
        { "ConnectionStrings__appdb", "", "No connection string: set ConnectionStrings__appdb" },
        { "Migrations__Directory", "/no/such/folder", "Migrations:Directory '/no/such/folder' does not exist" },
        { "Migrations__SeedsDirectory", "/no/such/seeds", "Migrations:SeedsDirectory '/no/such/seeds' does not exist" },
    };

    [Theory]
    [MemberData(nameof(BadConfiguration))]
    public async Task Bad_configuration_is_one_line_naming_the_key(string key, string value, string expected)
    {
        var environment = new Dictionary<string, string?>
        {
            // A database of its own: should the check miss, the worker migrates this one and nothing shared.
            ["ConnectionStrings__appdb"] = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken),
            [key] = value,
        };

        var (exitCode, output) = await WorkerProcess.RunWithEnvironmentAsync(environment);

        Assert.True(exitCode == ExitCodes.Configuration, output);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        Assert.True(output.Trim().Split('\n').Length <= 2, output);
    }
}
