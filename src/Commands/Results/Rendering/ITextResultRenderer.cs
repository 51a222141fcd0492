using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Results.Rendering;

/// <summary>
/// Renders one result as text in one of the CLI's formats: human tables in pscale's style, JSON in
/// the CLI's shapes, or RFC 4180 CSV. Chat renderers use it for <c>--format json|csv</c> and fallbacks.
/// </summary>
public interface ITextResultRenderer
{
    /// <summary>The text of <paramref name="result"/> in <paramref name="format"/>.</summary>
    string Render(CommandResult result, OutputFormat format);
}
