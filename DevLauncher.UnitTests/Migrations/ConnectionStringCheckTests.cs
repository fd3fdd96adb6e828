using DevLauncher.Migrations.Engine;

namespace DevLauncher.UnitTests.Migrations;

/// <summary>The worker's check of its connection string before Npgsql sees it.</summary>
public sealed class ConnectionStringCheckTests
{
    public static TheoryData<string, string> Malformed => new()
    {
        { "Host=db;Port=abc;Password=s3cret", "ConnectionStrings:appdb: Port 'abc' is not a valid value for Port." },
        { "Host=db;Password=s3cret;Colour=blue", "ConnectionStrings:appdb: unknown keyword 'Colour'." },
        { "Host=db;Password='s3cret", "ConnectionStrings:appdb is not a connection string" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_connection_string_is_named_by_its_key(string connectionString, string expected) =>
        Assert.StartsWith(expected, ConnectionStringCheck.Error(connectionString), StringComparison.Ordinal);

    public static TheoryData<string> MalformedWithPassword => [.. Malformed.Select(row => row.Data.Item1)];

    [Theory]
    [MemberData(nameof(MalformedWithPassword))]
    public void A_malformed_connection_strings_error_never_shows_the_password(string connectionString)
    {
        var error = ConnectionStringCheck.Error(connectionString);

        Assert.NotNull(error);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_connection_string_passes() =>
        Assert.Null(ConnectionStringCheck.Error("Host=db;Port=5432;Password=s3cret;Timeout=3"));
}
