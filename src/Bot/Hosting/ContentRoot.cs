namespace PscaleBot.Bot.Hosting;

/// <summary>
/// Chooses the content root: the working directory when it holds <c>appsettings.json</c> (running from
/// the repository root or a container's work dir, so edits to <c>policy.yaml</c> there take effect at
/// once), otherwise the build output, which carries copies of the root configuration files.
/// </summary>
public static class ContentRoot
{
    /// <summary>The directory configuration files and relative paths are resolved against.</summary>
    public static string Resolve()
    {
        var workingDirectory = Directory.GetCurrentDirectory();
        return File.Exists(Path.Combine(workingDirectory, "appsettings.json")) ? workingDirectory : AppContext.BaseDirectory;
    }
}
