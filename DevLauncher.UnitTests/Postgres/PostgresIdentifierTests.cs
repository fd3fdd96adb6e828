using DevLauncher.Contracts;

namespace DevLauncher.UnitTests.Postgres;

public sealed class PostgresIdentifierTests
{
    [Theory]
    [InlineData("appdb", "\"appdb\"")]
    [InlineData("App DB", "\"App DB\"")]
    [InlineData("a\"; DROP DATABASE x; --", "\"a\"\"; DROP DATABASE x; --\"")]
    public void A_database_name_is_one_quoted_identifier_whatever_it_holds(string name, string quoted) =>
        Assert.Equal(quoted, PostgresIdentifier.Quote(name));
}
