using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Commands.Tests.Results.Rendering;

/// <summary>Every result kind in every format against its golden file (see <see cref="GoldenFile"/> to regenerate).</summary>
public sealed class GoldenRenderingTests
{
    private readonly TextResultRenderer renderer = new(new FakeTimeProvider(ResultSamples.Now));

    public static TheoryData<string, OutputFormat> Cases()
    {
        var data = new TheoryData<string, OutputFormat>();
        foreach (var name in ResultSamples.All.Keys)
        {
            foreach (var format in Enum.GetValues<OutputFormat>())
            {
                data.Add(name, format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Renders_as_the_golden_file(string sample, OutputFormat format)
    {
        var text = renderer.Render(ResultSamples.All[sample], format);

        var extension = format switch { OutputFormat.Json => "json", OutputFormat.Csv => "csv", _ => "txt" };
        GoldenFile.AssertMatches($"{sample}.{extension}", text);
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_sample()
    {
        var expected = ResultSamples.All.Keys.SelectMany(k => new[] { $"{k}.txt", $"{k}.json", $"{k}.csv" }).ToHashSet();
        var present = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden")).Select(Path.GetFileName).Where(n => !n!.StartsWith(".", StringComparison.Ordinal)).ToHashSet();

        Assert.Equal(expected.Order(), present.Order()!);
    }
}
