using CsCheck;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Tests.Text;

public sealed class TextCutTests
{
    [Theory]
    [InlineData("read_branch", 20, "read_branch")]
    [InlineData("read_branch", 11, "read_branch")]
    [InlineData("read_branch", 5, "read…")]
    [InlineData("ab", 1, "…")]
    public void Keeps_what_fits_and_marks_the_cut(string text, int max, string expected) =>
        Assert.Equal(expected, TextCut.Truncate(text, max));

    [Fact]
    public void Never_splits_an_emoji_at_the_cut()
    {
        // "ab" then U+1F525 (two UTF-16 units): a cut after 3 units would keep half of it.
        var cut = TextCut.Truncate("ab\U0001F525cd", 4);

        Assert.Equal("ab…", cut);
        Assert.DoesNotContain(cut, char.IsSurrogate);
    }

    [Fact]
    public void The_result_is_never_longer_than_the_limit_and_never_ends_in_half_a_pair() =>
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 5], Gen.Int[1, 40]).Sample(sample =>
        {
            var text = sample.Item1 + "\U0001F600\U0001F600" + sample.Item1;
            var cut = TextCut.Truncate(text, sample.Item2);
            Assert.True(cut.Length <= sample.Item2);
            Assert.False(cut.Length > 1 && char.IsHighSurrogate(cut[^2]) && cut[^1] == '…');
            Assert.True(cut == text || cut.EndsWith('…'));
        });
}
