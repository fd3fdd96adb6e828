using DevLauncher.SchemaLoop;

namespace DevLauncher.UnitTests.SchemaLoop;

/// <summary>How far a database's history follows a branch's files: what a new branch's database is copied by.</summary>
public sealed class HistoryPrefixTests
{
    private static readonly VersionedFile First = new(1, "0001_a.sql", "aa");
    private static readonly VersionedFile Second = new(2, "0002_b.sql", "bb");
    private static readonly VersionedFile Third = new(3, "0003_c.sql", "cc");

    [Fact]
    public void A_history_of_the_first_files_is_a_prefix_as_long_as_it_is() =>
        Assert.Equal(2, HistoryPrefix.Length([First, Second, Third], [First, Second]));

    [Fact]
    public void An_empty_history_is_a_prefix_of_length_zero() =>
        Assert.Equal(0, HistoryPrefix.Length([First], []));

    [Fact]
    public void A_history_with_a_file_the_branch_lacks_is_not_a_prefix() =>
        Assert.Null(HistoryPrefix.Length([First, Third], [First, Second]));

    [Fact]
    public void A_history_whose_file_changed_is_not_a_prefix() =>
        Assert.Null(HistoryPrefix.Length([First, Second], [First, Second with { Checksum = "changed" }]));

    [Fact]
    public void A_history_longer_than_the_files_is_not_a_prefix() =>
        Assert.Null(HistoryPrefix.Length([First], [First, Second]));

    [Fact]
    public void Checksums_compare_without_regard_to_case() =>
        Assert.Equal(1, HistoryPrefix.Length([First], [First with { Checksum = "AA" }]));
}
