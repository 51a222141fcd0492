using BenchmarkDotNet.Attributes;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Benchmarks.Rendering;

/// <summary>
/// <see cref="TextResultRenderer"/> on the largest tables people ask for. Target: under 2 ms and under 1 MB
/// allocated per table in any format (the answer is posted once, off the acknowledgement path).
/// </summary>
public class TextRenderingBenchmarks
{
    private readonly TextResultRenderer renderer = new(new StoppedClock());
    private CommandResult result = null!;

    [Params(SampleTable.Permissions300, SampleTable.Tokens500)]
    public SampleTable Table { get; set; }

    [Params(OutputFormat.Human, OutputFormat.Json, OutputFormat.Csv)]
    public OutputFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        result = SampleResults.For(Table);
        if (Render().Length < 10_000)
        {
            throw new InvalidOperationException($"{Table} as {Format} rendered suspiciously short text");
        }
    }

    [Benchmark(Description = "TextResultRenderer.Render")]
    public string Render() => renderer.Render(result, Format);
}
