namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>Slack's limits on messages and blocks, and a checker for built messages.</summary>
public static class SlackMessageLimits
{
    /// <summary>Blocks per message.</summary>
    public const int MaxBlocks = 50;
    /// <summary>Section text.</summary>
    public const int MaxSectionText = 3000;
    /// <summary>Section fields.</summary>
    public const int MaxSectionFields = 10;
    /// <summary>One section field.</summary>
    public const int MaxFieldText = 2000;
    /// <summary>Header text.</summary>
    public const int MaxHeaderText = 150;
    /// <summary>Context elements.</summary>
    public const int MaxContextElements = 10;
    /// <summary>Table rows, header included.</summary>
    public const int MaxTableRows = 100;
    /// <summary>Cells per table row.</summary>
    public const int MaxTableCells = 20;
    /// <summary>Tables per message.</summary>
    public const int MaxTablesPerMessage = 1;
    /// <summary>Characters across a table's cells (Slack documents about 10,000; stay below).</summary>
    public const int MaxTableText = 9000;
    /// <summary>Characters across all blocks of a message (Slack rejects ~13k; markdown blocks cap at 12k; stay below).</summary>
    public const int MaxBlockText = 11_000;
    /// <summary>A <c>block_id</c>.</summary>
    public const int MaxBlockId = 255;
    /// <summary>Elements of an <c>actions</c> block.</summary>
    public const int MaxActionElements = 25;
    /// <summary>Button text.</summary>
    public const int MaxButtonText = 75;
    /// <summary>Button value.</summary>
    public const int MaxButtonValue = 2000;
    /// <summary>Top-level fallback text (Slack recommends at most 4000).</summary>
    public const int MaxFallbackText = 3000;

    /// <summary>Every limit <paramref name="message"/> breaks, worded; empty when it is valid.</summary>
    public static IReadOnlyList<string> Violations(SlackMessage message)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(message.Text))
        {
            problems.Add("missing top-level text fallback");
        }
        else if (message.Text.Length > MaxFallbackText)
        {
            problems.Add($"fallback text has {message.Text.Length} characters");
        }

        if (message.Blocks.Count > MaxBlocks)
        {
            problems.Add($"{message.Blocks.Count} blocks");
        }

        var total = BlockKit.TextLength(message.Blocks);
        if (total > MaxBlockText)
        {
            problems.Add($"{total} characters of block text");
        }

        foreach (var block in message.Blocks)
        {
            Check(block, problems);
        }

        var tables = message.Blocks.Count(b => b is TableBlock);
        if (tables > MaxTablesPerMessage)
        {
            problems.Add($"{tables} tables in one message");
        }

        return problems;
    }

    private static void Check(SlackBlock block, List<string> problems)
    {
        switch (block)
        {
            case HeaderBlock header:
                CheckText(header.Text, MaxHeaderText, "header", problems);
                break;
            case SectionBlock section:
                if (section.Text is { } text)
                {
                    CheckText(text, MaxSectionText, "section", problems);
                }

                if (section.Fields is { } fields)
                {
                    if (fields.Count > MaxSectionFields)
                    {
                        problems.Add($"section with {fields.Count} fields");
                    }

                    foreach (var field in fields)
                    {
                        CheckText(field, MaxFieldText, "field", problems);
                    }
                }

                break;
            case ContextBlock context:
                if (context.Elements.Count is 0 or > MaxContextElements)
                {
                    problems.Add($"context with {context.Elements.Count} elements");
                }

                foreach (var element in context.Elements)
                {
                    CheckText(element, MaxSectionText, "context element", problems);
                }

                break;
            case TableBlock table:
                CheckTable(table, problems);
                break;
            case DividerBlock:
                break;
            case ActionsBlock actions:
                if (actions.Elements.Count is 0 or > MaxActionElements)
                {
                    problems.Add($"actions with {actions.Elements.Count} elements");
                }

                foreach (var button in actions.Elements)
                {
                    CheckText(button.Text, MaxButtonText, "button", problems);
                }

                break;
            default:
                problems.Add($"unexpected block type {block.GetType().Name}");
                break;
        }
    }

    private static void CheckTable(TableBlock table, List<string> problems)
    {
        if (table.Rows.Count is 0 or > MaxTableRows)
        {
            problems.Add($"table with {table.Rows.Count} rows");
        }

        if (table.Rows.Any(r => r.Count is 0 or > MaxTableCells))
        {
            problems.Add("table row with too many or no cells");
        }

        if (table.Rows.Select(r => r.Count).Distinct().Count() > 1)
        {
            problems.Add("table rows of different widths");
        }

        var tableText = table.TextLength();
        if (tableText > MaxTableText)
        {
            problems.Add($"table with {tableText} characters");
        }
    }

    private static void CheckText(SlackText text, int max, string what, List<string> problems)
    {
        if (string.IsNullOrEmpty(text.Text))
        {
            problems.Add($"empty {what} text");
        }
        else if (text.Text.Length > max)
        {
            problems.Add($"{what} text of {text.Text.Length} characters (max {max})");
        }
    }
}
