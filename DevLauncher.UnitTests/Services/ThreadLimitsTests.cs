using DevLauncher.Contracts;

namespace DevLauncher.UnitTests.Services;

/// <summary>The backend's limits on titles and message bodies: each broken rule is a 400 with this reason, never a 500.</summary>
public sealed class ThreadLimitsTests
{
    [Fact]
    public void A_title_within_the_limit_breaks_no_rule() =>
        Assert.Empty(ThreadLimits.CheckText("title", new string('t', ThreadLimits.MaxTitleLength), ThreadLimits.MaxTitleLength));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \t ")]
    public void A_missing_or_blank_text_is_required(string? value) =>
        Assert.Equal(["A title is required and cannot be blank."], ThreadLimits.CheckText("title", value, ThreadLimits.MaxTitleLength)["title"]);

    [Fact]
    public void A_text_over_the_limit_says_how_long_it_is() =>
        Assert.Equal([$"A body has at most {ThreadLimits.MaxBodyLength} characters; this one has {ThreadLimits.MaxBodyLength + 1}."],
            ThreadLimits.CheckText("body", new string('b', ThreadLimits.MaxBodyLength + 1), ThreadLimits.MaxBodyLength)["body"]);

    [Fact]
    public void Surrounding_white_space_does_not_count_towards_the_limit() =>
        Assert.Empty(ThreadLimits.CheckText("title", $"  {new string('t', ThreadLimits.MaxTitleLength)}  ", ThreadLimits.MaxTitleLength));

    [Fact]
    public void A_text_with_a_NUL_character_is_refused() =>
        Assert.Equal(["A body cannot contain the NUL character."], ThreadLimits.CheckText("body", "a\0b", ThreadLimits.MaxBodyLength)["body"]);
}
