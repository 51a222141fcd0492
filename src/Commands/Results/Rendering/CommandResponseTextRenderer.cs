using PscaleBot.Commands.Execution;

namespace PscaleBot.Commands.Results.Rendering;

/// <summary>
/// A whole <see cref="CommandResponse"/> as text for a terminal (the shell): the secret warning first,
/// then every result in the response's format, separated by a blank line. The announcement is not part
/// of the caller's answer; <see cref="RenderAnnouncement"/> gives it for a separate line.
/// </summary>
public sealed class CommandResponseTextRenderer(ITextResultRenderer renderer)
{
    /// <summary>The text the requester sees.</summary>
    public string Render(CommandResponse response)
    {
        List<string> parts = [];
        if (response.SecretWarning is { } warning)
        {
            parts.Add("Warning: " + warning);
        }

        parts.AddRange(response.Results.Select(r => renderer.Render(r, response.Format).TrimEnd('\n')));
        return string.Join("\n\n", parts) + "\n";
    }

    /// <summary>The line for the place, or null when there is none.</summary>
    public static string? RenderAnnouncement(CommandResponse response) =>
        response.Announcement is { } line ? "Announcement: " + line : null;
}
