using System.Globalization;
using System.Text;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Tests.Grammar;

/// <summary>The normaliser copies a line only when something in it must be undone (issue 11: parser allocations).</summary>
public sealed class ChatTextNormalizerTests
{
    [Fact]
    public void A_line_with_nothing_to_undo_is_returned_as_is_not_copied()
    {
        var line = "service-token add-access tok123 read_branch --database prod --reason " + new string('x', 3_900);
        Assert.Same(line, ChatTextNormalizer.Normalize(line));
    }

    [Theory]
    [InlineData("`service-token list`")]
    [InlineData("  service-token\u00A0list\u200B --org\tacme \r\n")]
    [InlineData("service\u00ADtoken show-access\u2003abc")]
    [InlineData("```\nservice-token list\n```")]
    [InlineData("\u200E\u200Fservice-token  list")]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ünïcödé — “smart quotes” … 🚀 `x`")]
    public void Every_line_comes_out_as_the_character_by_character_rules_say(string line)
    {
        Assert.Equal(Reference(line), ChatTextNormalizer.Normalize(line));
    }

    // The rules as first written: whitespace and control characters become spaces, format characters go,
    // backticks go, then the ends are trimmed.
    private static string Reference(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                builder.Append(' ');
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Replace("`", string.Empty, StringComparison.Ordinal).Trim();
    }
}
