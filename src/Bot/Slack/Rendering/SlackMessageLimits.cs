using System.Text.Json.Nodes;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>Slack's limits on messages and blocks, and a checker for generated JSON.</summary>
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

        var tables = 0;
        foreach (var block in message.Blocks.OfType<JsonObject>())
        {
            var type = (string?)block["type"];
            switch (type)
            {
                case "header":
                    CheckText(block["text"], MaxHeaderText, "header", problems);
                    break;
                case "section":
                    if (block["text"] is { } text)
                    {
                        CheckText(text, MaxSectionText, "section", problems);
                    }

                    if (block["fields"] is JsonArray fields)
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
                case "context":
                    var elements = block["elements"] as JsonArray ?? [];
                    if (elements.Count is 0 or > MaxContextElements)
                    {
                        problems.Add($"context with {elements.Count} elements");
                    }

                    foreach (var element in elements)
                    {
                        CheckText(element, MaxSectionText, "context element", problems);
                    }

                    break;
                case "table":
                    tables++;
                    var rows = block["rows"] as JsonArray ?? [];
                    if (rows.Count is 0 or > MaxTableRows)
                    {
                        problems.Add($"table with {rows.Count} rows");
                    }

                    if (rows.OfType<JsonArray>().Any(r => r.Count is 0 or > MaxTableCells))
                    {
                        problems.Add("table row with too many or no cells");
                    }

                    if (rows.OfType<JsonArray>().Select(r => r.Count).Distinct().Count() > 1)
                    {
                        problems.Add("table rows of different widths");
                    }

                    var tableText = BlockKit.TextLength(rows);
                    if (tableText > MaxTableText)
                    {
                        problems.Add($"table with {tableText} characters");
                    }

                    break;
                case "divider":
                    break;
                case "actions":
                    var buttons = block["elements"] as JsonArray ?? [];
                    if (buttons.Count is 0 or > MaxActionElements)
                    {
                        problems.Add($"actions with {buttons.Count} elements");
                    }

                    foreach (var button in buttons)
                    {
                        CheckText(button?["text"], MaxButtonText, "button", problems);
                    }

                    break;
                default:
                    problems.Add($"unexpected block type {type}");
                    break;
            }
        }

        if (tables > MaxTablesPerMessage)
        {
            problems.Add($"{tables} tables in one message");
        }

        return problems;
    }

    private static void CheckText(JsonNode? textObject, int max, string what, List<string> problems)
    {
        var text = (string?)textObject?["text"];
        if (string.IsNullOrEmpty(text))
        {
            problems.Add($"empty {what} text");
        }
        else if (text.Length > max)
        {
            problems.Add($"{what} text of {text.Length} characters (max {max})");
        }
    }
}
