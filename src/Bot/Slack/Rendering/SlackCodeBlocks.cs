using System.Text;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>Text laid out in mrkdwn sections within Slack's 3000 characters per section.</summary>
internal static class SlackCodeBlocks
{
    private const int CodeBlockBudget = SlackMessageLimits.MaxSectionText - 8;

    /// <summary>Lines in code-block sections of at most 3000 characters; a heading line repeats in each.</summary>
    /// <param name="lines">Raw lines (escaped here).</param>
    /// <param name="rowsAreData">Count each line as a result row (for the "showing N of M rows" note).</param>
    /// <param name="heading">A line repeated at the top of every section (a table's column headers).</param>
    public static IEnumerable<BlockPart> Of(IEnumerable<string> lines, bool rowsAreData, string? heading = null)
    {
        var head = heading is null ? null : Mrkdwn.CodeBlockContent(heading);
        var budget = CodeBlockBudget - (head?.Length + 1 ?? 0);
        var builder = new StringBuilder();
        var rows = 0;
        foreach (var raw in lines)
        {
            var line = BlockKit.Truncate(Mrkdwn.CodeBlockContent(raw.TrimEnd('\r')), budget - 1);
            if (builder.Length > 0 && builder.Length + line.Length + 1 > budget)
            {
                yield return Section(head, builder, rows);
                builder.Clear();
                rows = 0;
            }

            builder.Append(line).Append('\n');
            rows += rowsAreData ? 1 : 0;
        }

        if (builder.Length > 0 || head is not null)
        {
            yield return Section(head, builder, rows);
        }
    }

    /// <summary>Escaped mrkdwn in as many sections as its length needs.</summary>
    public static IEnumerable<BlockPart> TextSections(string mrkdwn)
    {
        for (var start = 0; start < mrkdwn.Length; start += SlackMessageLimits.MaxSectionText)
        {
            yield return new BlockPart(BlockKit.Section(mrkdwn.Substring(start, Math.Min(SlackMessageLimits.MaxSectionText, mrkdwn.Length - start))));
        }

        if (mrkdwn.Length == 0)
        {
            yield return new BlockPart(BlockKit.Section(" "));
        }
    }

    private static BlockPart Section(string? head, StringBuilder body, int rows)
    {
        var content = (head is null ? "" : head + "\n") + body.ToString().TrimEnd('\n');
        return new BlockPart(BlockKit.Section($"```{(content.Length == 0 ? " " : content)}```"), rows);
    }
}
