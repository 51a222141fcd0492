using System.Reflection;

namespace PscaleBot.Architecture.Tests;

/// <summary>The three production assemblies, loaded by name so a renamed type never breaks a wall test.</summary>
internal static class Layers
{
    public const string CommandsName = "PscaleBot.Commands";
    public const string BotName = "PscaleBot.Bot";
    public const string SandboxName = "PscaleBot.Sandbox";

    public const string SlackNamespace = "PscaleBot.Bot.Slack";
    public const string TeamsNamespace = "PscaleBot.Bot.Teams";
    public const string AspNetCore = "Microsoft.AspNetCore";

    public static Assembly Commands { get; } = Assembly.Load(CommandsName);

    public static Assembly Bot { get; } = Assembly.Load(BotName);

    public static Assembly Sandbox { get; } = Assembly.Load(SandboxName);

    /// <summary>The repository root (where PscaleBot.slnx is), found upwards from the test's output folder.</summary>
    public static DirectoryInfo RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PscaleBot.slnx")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("PscaleBot.slnx not found above " + AppContext.BaseDirectory);
    }
}
