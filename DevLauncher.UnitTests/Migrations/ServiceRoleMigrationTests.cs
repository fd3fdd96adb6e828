using DevLauncher.Contracts;

namespace DevLauncher.UnitTests.Migrations;

/// <summary>SQL cannot name a C# constant, so this test keeps migration 0007 and <see cref="ServiceRole.Name"/> equal.</summary>
public sealed class ServiceRoleMigrationTests
{
    [Fact]
    public void Migration_0007_creates_the_role_the_contracts_name()
    {
        var sql = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scripts", "0007_service_role.sql"));

        Assert.Contains($"CREATE ROLE {ServiceRole.Name} ", sql, StringComparison.Ordinal);
    }
}
