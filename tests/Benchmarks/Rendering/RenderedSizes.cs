using System.Globalization;
using PscaleBot.Bot.Slack;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Benchmarks.Rendering;

/// <summary>
/// What each rendering benchmark produces (messages and characters), printed by the <c>render-sizes</c> mode so the
/// timings in docs/benchmarks.md can be read against the amount of output.
/// </summary>
public static class RenderedSizes
{
    /// <summary>Writes one markdown table row per rendering case.</summary>
    public static async Task WriteAsync(TextWriter output)
    {
        var text = new TextResultRenderer(new StoppedClock());
        var slack = new SlackBlockKitRenderer(text);
        var teams = new TeamsRendererAccess(text, "Alice Example");
        await output.WriteLineAsync("| renderer | table | case | messages | characters |");
        await output.WriteLineAsync("|---|---|---|---:|---:|");
        foreach (var table in Enum.GetValues<SampleTable>())
        {
            IReadOnlyList<CommandResult> results = [SampleResults.For(table)];
            foreach (var format in new[] { OutputFormat.Human, OutputFormat.Json, OutputFormat.Csv })
            {
                await Row(output, "text", table, format.ToString(), 1, text.Render(results[0], format).Length);
            }

            foreach (var (name, style, format) in new[]
            {
                ("TableBlocks", SlackTableStyle.Table, OutputFormat.Human),
                ("CodeBlocks", SlackTableStyle.CodeBlock, OutputFormat.Human),
                ("Json", SlackTableStyle.Table, OutputFormat.Json),
            })
            {
                var messages = slack.Render(results, format, new SlackRenderContext("U0ALICE", SampleResults.Now, style), 5);
                await Row(output, "Slack", table, name, messages.Count, messages.Sum(m => System.Text.Json.JsonSerializer.Serialize(m.Blocks, PscaleBot.Bot.Slack.Api.SlackJsonContext.Default.IReadOnlyListSlackBlock).Length + m.Text.Length));
            }

            foreach (var format in new[] { OutputFormat.Human, OutputFormat.Json })
            {
                await Row(output, "Teams", table, format.ToString(), teams.MessageCount(results, format), teams.RenderToWire(results, format));
            }
        }
    }

    private static Task Row(TextWriter output, string renderer, SampleTable table, string @case, int messages, int characters) =>
        output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| {renderer} | {table} | {@case} | {messages} | {characters:N0} |"));
}
