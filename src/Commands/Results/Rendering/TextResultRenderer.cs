using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Results.Rendering;

/// <summary>The <see cref="ITextResultRenderer"/>: human tables, CLI-shaped JSON or RFC 4180 CSV.</summary>
public sealed class TextResultRenderer(TimeProvider time) : ITextResultRenderer
{
    private readonly HumanTextFormatter human = new(time);
    private readonly JsonResultFormatter json = new();
    private readonly CsvResultFormatter csv = new();

    /// <inheritdoc />
    public string Render(CommandResult result, OutputFormat format) => format switch
    {
        OutputFormat.Json => json.Format(result),
        OutputFormat.Csv => csv.Format(result),
        _ => human.Format(result),
    };
}
