using System.Text;
using DevLauncher.Migrations.Engine;

namespace DevLauncher.UnitTests.Migrations;

/// <summary>A seed is split and checked as a migration is, and may not leave the one transaction every seed shares.</summary>
public sealed class SeedFileRulesTests
{
    [Fact]
    public void A_seed_is_split_into_statements_as_a_migration_is()
    {
        var seed = Seed("INSERT INTO t VALUES (';');\nCOPY t FROM stdin;\n1\n\\.\nSELECT 1;\n");

        Assert.Null(seed.Problem);
        Assert.Equal(["INSERT INTO t VALUES (';')", "COPY t FROM stdin", "SELECT 1"], seed.Statements.Select(s => s.Text));
    }

    [Fact]
    public void The_no_transaction_marker_is_refused_in_a_seed_at_its_line()
    {
        var seed = Seed("\n-- devlauncher: no-transaction\nINSERT INTO t VALUES (1);\n");

        Assert.StartsWith("0001_demo.sql line 2: -- devlauncher: no-transaction is for migrations", seed.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Transaction_control_in_a_seed_is_refused_without_offering_the_no_transaction_marker()
    {
        var seed = Seed("INSERT INTO t VALUES (1);\nCOMMIT;\n");

        Assert.StartsWith("0001_demo.sql line 2: COMMIT controls the transaction, but the worker runs every seed in one transaction", seed.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("no-transaction", seed.Problem, StringComparison.Ordinal);
    }

    private static SeedScript Seed(string sql) => MigrationScriptSource.ParseSeed("0001_demo.sql", Encoding.UTF8.GetBytes(sql));
}
