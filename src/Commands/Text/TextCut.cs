namespace PscaleBot.Commands.Text;

/// <summary>Shortens text for chat limits without ever splitting a character made of two UTF-16 units (emoji, many CJK).</summary>
public static class TextCut
{
    /// <summary>
    /// <paramref name="text"/> when it fits in <paramref name="max"/> UTF-16 units; otherwise its start and an ellipsis,
    /// <paramref name="max"/> units at most. A half surrogate pair would make the JSON Slack and Teams receive invalid.
    /// </summary>
    public static string Truncate(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (text.Length <= max)
        {
            return text;
        }

        var keep = max - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), "…");
    }
}
