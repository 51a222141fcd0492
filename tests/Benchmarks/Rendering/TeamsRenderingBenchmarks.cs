using BenchmarkDotNet.Attributes;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Benchmarks.Rendering;

/// <summary>
/// The Teams renderer (Adaptive Card 1.5 tables split under 25 KB per card, or <c>--format json</c> code blocks),
/// serialised to the JSON sent to the Bot Connector. Target: under 5 ms and under 2 MB allocated per answer, and under
/// 64 KB per card.
/// </summary>
public class TeamsRenderingBenchmarks
{
    private TeamsRendererAccess renderer = null!;
    private IReadOnlyList<CommandResult> results = null!;

    [Params(SampleTable.Permissions300, SampleTable.Tokens500)]
    public SampleTable Table { get; set; }

    [Params(OutputFormat.Human, OutputFormat.Json)]
    public OutputFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        renderer = new TeamsRendererAccess(new TextResultRenderer(new StoppedClock()), "Alice Example");
        results = [SampleResults.For(Table)];
        if (RenderToWire() < 10_000)
        {
            throw new InvalidOperationException($"{Table}/{Format} rendered suspiciously little");
        }
    }

    /// <summary>Renders and serialises every message to a JSON string (how this benchmark measured until 2026-12-03); returns the characters.</summary>
    [Benchmark(Description = "Adaptive Card render + serialise to string")]
    public int RenderToWire() => renderer.RenderToWire(results, Format);

    /// <summary>Renders and writes every card as UTF-8 JSON into a reused buffer, as the bot streams it to the Bot Connector; returns the bytes.</summary>
    [Benchmark(Description = "Adaptive Card render + write UTF-8 (as sent)")]
    public int RenderToUtf8() => renderer.RenderToUtf8(results, Format);
}
