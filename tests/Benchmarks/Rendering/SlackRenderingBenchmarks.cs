using BenchmarkDotNet.Attributes;
using PscaleBot.Bot.Slack;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Benchmarks.Rendering;

/// <summary>How a Slack rendering case asks for the table.</summary>
public enum SlackCase
{
    /// <summary>Table blocks (the default style); too many rows fall back to code blocks, then are cut.</summary>
    TableBlocks,
    /// <summary>Monospace code blocks (<c>Slack:TableStyle = CodeBlock</c>).</summary>
    CodeBlocks,
    /// <summary><c>--format json</c>: the JSON text in code blocks.</summary>
    Json,
}

/// <summary>
/// <see cref="SlackBlockKitRenderer.Render"/> into the five messages a <c>response_url</c> allows, serialised to the JSON
/// that is posted. Target: under 5 ms and under 2 MB allocated per answer.
/// </summary>
public class SlackRenderingBenchmarks
{
    private const int ResponseUrlPosts = 5;
    private SlackBlockKitRenderer renderer = null!;
    private IReadOnlyList<CommandResult> results = null!;
    private SlackRenderContext context = null!;
    private OutputFormat format;

    [Params(SampleTable.Permissions300, SampleTable.Tokens500)]
    public SampleTable Table { get; set; }

    [Params(SlackCase.TableBlocks, SlackCase.CodeBlocks, SlackCase.Json)]
    public SlackCase Case { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        renderer = new SlackBlockKitRenderer(new TextResultRenderer(new StoppedClock()));
        results = [SampleResults.For(Table)];
        format = Case == SlackCase.Json ? OutputFormat.Json : OutputFormat.Human;
        context = new SlackRenderContext("U0ALICE", SampleResults.Now, Case == SlackCase.CodeBlocks ? SlackTableStyle.CodeBlock : SlackTableStyle.Table);
        if (RenderToWire() < 10_000)
        {
            throw new InvalidOperationException($"{Table}/{Case} rendered suspiciously little");
        }
    }

    /// <summary>Renders and serialises every message; returns the characters that would be posted.</summary>
    [Benchmark(Description = "Block Kit render + serialise")]
    public int RenderToWire()
    {
        var total = 0;
        foreach (var message in renderer.Render(results, format, context, ResponseUrlPosts))
        {
            total += System.Text.Json.JsonSerializer.Serialize(message.Blocks, PscaleBot.Bot.Slack.Api.SlackJsonContext.Default.IReadOnlyListSlackBlock).Length + message.Text.Length;
        }

        return total;
    }
}
