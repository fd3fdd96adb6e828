namespace DevLauncher.UnitTests.Docs;

/// <summary>docs/glossary.md names the code of each concept: those names must be the code's.</summary>
public sealed class GlossaryTests
{
    private static readonly string Root = RepositoryRoot();

    [Fact]
    public void Every_code_name_in_the_glossary_exists_in_the_product_sources()
    {
        var names = GlossaryCodeNames.In(File.ReadAllText(Path.Combine(Root, "docs", "glossary.md")));

        Assert.Contains("SchemaHistory.Table", names);
        Assert.Empty(GlossaryCodeNames.Missing(names, GlossaryCodeNames.ProductSources(Root)));
    }

    [Fact]
    public void A_code_name_no_product_source_has_is_reported_missing()
    {
        const string glossary = """
            | name | what it is | in the code |
            | --- | --- | --- |
            | **history** | the table | `SchemaHistory.Table`, `devlauncher.schema_history` |
            | **renamed** | a concept whose code was renamed | `SchemaHistory.NoSuchMember`, `NoSuchType` |
            """;

        var missing = GlossaryCodeNames.Missing(GlossaryCodeNames.In(glossary), GlossaryCodeNames.ProductSources(Root));

        Assert.Equal(["SchemaHistory.NoSuchMember", "NoSuchType"], missing);
    }

    [Fact]
    public void A_name_only_a_comment_or_a_test_writes_is_not_in_the_product_sources()
    {
        string[] sources = ["/// <see cref=\"DevServer.DropDiscardedAsync\"/>\nnamespace X;"];

        Assert.Equal(["DevServer.DropDiscardedAsync"], GlossaryCodeNames.Missing(["DevServer.DropDiscardedAsync"], sources));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DevLauncher.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No DevLauncher.sln above {AppContext.BaseDirectory}.");
    }
}
