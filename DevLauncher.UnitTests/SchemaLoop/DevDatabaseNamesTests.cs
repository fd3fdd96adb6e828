using System.Text;
using DevLauncher.SchemaLoop;

namespace DevLauncher.UnitTests.SchemaLoop;

/// <summary>A branch's database name: what PostgreSQL can hold, within 63 bytes, and never shared by two branches.</summary>
public sealed class DevDatabaseNamesTests
{
    [Fact]
    public void A_plain_branch_name_is_kept_as_it_is() =>
        Assert.Equal("appdb_main", DevDatabaseNames.ForHead("appdb", new GitHead("main", null)));

    [Fact]
    public void A_checkout_that_is_not_a_git_repository_uses_the_resources_own_database() =>
        Assert.Equal("appdb", DevDatabaseNames.ForHead("appdb", null));

    [Fact]
    public void A_detached_HEAD_is_named_by_its_commit() =>
        Assert.Equal("appdb_at_1a2b3c4d5e6f", DevDatabaseNames.ForHead("appdb", new GitHead(null, "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d")));

    [Theory]
    [InlineData("feature/Login-Page", "appdb_feature_login_page_")]
    [InlineData("fix/ü-umlaut", "appdb_fix_umlaut_")]
    [InlineData("release/2.0", "appdb_release_2_0_")]
    public void A_branch_name_a_database_name_cannot_hold_is_cleaned_up_with_a_hash_of_the_real_name(string branch, string prefix)
    {
        var name = DevDatabaseNames.ForBranch("appdb", branch);

        Assert.StartsWith(prefix, name, StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9_]+_[0-9a-f]{8}$", name);
    }

    [Fact]
    public void Two_branches_that_read_the_same_once_cleaned_get_two_databases() =>
        Assert.NotEqual(DevDatabaseNames.ForBranch("appdb", "feature/x"), DevDatabaseNames.ForBranch("appdb", "feature-x"));

    [Fact]
    public void A_branch_name_longer_than_PostgreSQL_holds_is_cut_to_63_bytes_with_its_hash_kept()
    {
        var branch = "feature/" + new string('a', 100);

        var name = DevDatabaseNames.ForBranch("appdb", branch);

        Assert.Equal(DevDatabaseNames.MaxBytes, Encoding.UTF8.GetByteCount(name));
        Assert.NotEqual(name, DevDatabaseNames.ForBranch("appdb", branch + "b"));
    }

    [Fact]
    public void Every_database_name_of_a_long_branch_fits_63_bytes()
    {
        var database = DevDatabaseNames.ForBranch("appdb", new string('x', 200));

        Assert.True(Encoding.UTF8.GetByteCount(DevDatabaseNames.UndoPending("appdb", database)) <= DevDatabaseNames.MaxBytes);
        Assert.True(Encoding.UTF8.GetByteCount(DevDatabaseNames.TemplateBuild(DevDatabaseNames.Template("appdb", new string('f', 64)))) <= DevDatabaseNames.MaxBytes);
    }
}
