using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Bot.Slack.Files;

/// <summary>An answer sent as a file: what <c>--format csv</c> asks for, and what is too large for Slack messages.</summary>
/// <param name="FileName">The file's name (<c>pscale-tokens.csv</c>).</param>
/// <param name="Title">Its title in Slack.</param>
/// <param name="Content">Its text, UTF-8 when uploaded.</param>
/// <param name="Lines">Lines of content (rows, for CSV: header included).</param>
public sealed record SlackFileAnswer(string FileName, string Title, string Content, int Lines)
{
    /// <summary>
    /// The file for <paramref name="response"/> in the format asked for (the CLI's text for human output), or null
    /// when there is nothing but errors in it.
    /// </summary>
    public static SlackFileAnswer? For(CommandResponse response, ITextResultRenderer text)
    {
        var results = response.Results.Where(r => r is not ErrorResult).ToList();
        if (results.Count == 0)
        {
            return null;
        }

        var content = string.Join("\n", results.Select(r => text.Render(r, response.Format).TrimEnd('\n'))) + "\n";
        var extension = response.Format switch { OutputFormat.Csv => "csv", OutputFormat.Json => "json", _ => "txt" };
        var what = results[0] switch
        {
            TokenTable => "tokens",
            PermissionTable => "access",
            AuditTable => "audit",
            PscaleBot.Commands.Access.AccessListResult => "access-list",
            _ => "answer",
        };
        return new SlackFileAnswer($"pscale-{what}.{extension}", $"pscale {what}", content, content.Count(c => c == '\n'));
    }
}
