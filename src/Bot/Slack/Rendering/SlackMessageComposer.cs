namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>A block and how many result rows it shows (for the "showing N of M" note when a reply is cut).</summary>
/// <param name="Block">The block.</param>
/// <param name="Rows">Data rows it carries.</param>
public sealed record BlockPart(SlackBlock Block, int Rows = 0)
{
    /// <summary>True for a <c>table</c> block.</summary>
    public bool IsTable => Block is TableBlock;

    /// <summary>Characters Slack counts for it.</summary>
    public int TextLength { get; } = Block.TextLength();
}

/// <summary>
/// Packs blocks into as few messages as Slack's per-message limits allow (50 blocks, ~11k characters,
/// one table), and cuts the reply with a note when it would need more messages than it may use.
/// </summary>
public static class SlackMessageComposer
{
    private const int NoteReserveBlocks = 1;
    private const int NoteReserveChars = 400;

    /// <summary>The messages for <paramref name="parts"/>, at most <paramref name="maxMessages"/>; null when they do not fit.</summary>
    public static IReadOnlyList<SlackMessage>? TryPack(IReadOnlyList<BlockPart> parts, string fallback, int maxMessages)
    {
        var messages = Pack(parts, fallback);
        return messages.Count <= maxMessages ? messages.Select(m => m.ToMessage()).ToList() : null;
    }

    /// <summary>
    /// The messages for <paramref name="parts"/>, cut to <paramref name="maxMessages"/> with a note saying how
    /// many of <paramref name="totalRows"/> rows are shown.
    /// </summary>
    public static IReadOnlyList<SlackMessage> PackTruncated(IReadOnlyList<BlockPart> parts, string fallback, int maxMessages, int totalRows)
    {
        var packed = new List<Draft>();
        var shownRows = 0;
        var current = new Draft(fallback);
        foreach (var part in parts)
        {
            var isLast = packed.Count == maxMessages - 1;
            var reserveBlocks = isLast ? NoteReserveBlocks : 0;
            var reserveChars = isLast ? NoteReserveChars : 0;
            if (!current.Fits(part, reserveBlocks, reserveChars))
            {
                if (isLast)
                {
                    break;
                }

                packed.Add(current);
                current = new Draft(fallback);
                if (!current.Fits(part, packed.Count == maxMessages - 1 ? NoteReserveBlocks : 0, packed.Count == maxMessages - 1 ? NoteReserveChars : 0))
                {
                    break;
                }
            }

            current.Add(part);
            shownRows += part.Rows;
        }

        current.Add(new BlockPart(BlockKit.Context(
            $":scissors: Too long for one Slack reply: showing {shownRows} of {totalRows} rows. Ask with `--format csv` for a denser listing.")));
        packed.Add(current);
        return packed.Select(d => d.ToMessage()).ToList();
    }

    private static List<Draft> Pack(IReadOnlyList<BlockPart> parts, string fallback)
    {
        var messages = new List<Draft>();
        var current = new Draft(fallback);
        foreach (var part in parts)
        {
            if (!current.Fits(part, 0, 0))
            {
                messages.Add(current);
                current = new Draft(fallback);
            }

            current.Add(part);
        }

        if (current.Blocks.Count > 0 || messages.Count == 0)
        {
            messages.Add(current);
        }

        return messages;
    }

    private sealed class Draft(string fallback)
    {
        public List<SlackBlock> Blocks { get; } = [];

        private int chars;
        private bool hasTable;

        public bool Fits(BlockPart part, int reserveBlocks, int reserveChars) =>
            Blocks.Count == 0
            || (Blocks.Count + 1 + reserveBlocks <= SlackMessageLimits.MaxBlocks
                && chars + part.TextLength + reserveChars <= SlackMessageLimits.MaxBlockText
                && !(part.IsTable && hasTable));

        public void Add(BlockPart part)
        {
            Blocks.Add(part.Block);
            chars += part.TextLength;
            hasTable |= part.IsTable;
        }

        // The draft is done with once packed, so the message takes its list as it is: no copy.
        public SlackMessage ToMessage() => new(BlockKit.Truncate(fallback, SlackMessageLimits.MaxFallbackText), Blocks);
    }
}
