using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Tests.Execution.Fakes;

/// <summary>Help that lists the sub-commands the filter allows, the way the real help text filters them.</summary>
public sealed class ListingHelpText : IHelpText
{
    public HelpResult Build(string? topic, Func<string, bool> isAllowed)
    {
        var allowed = SubCommands.All.Where(isAllowed).ToList();
        var header = topic is null ? "Usage:\n  pscale service-token <command> [flags]" : $"Usage:\n  pscale service-token {topic} [flags]";
        return new HelpResult($"{header}\n\nAvailable Commands:\n{string.Join("\n", allowed.Select(c => "  " + c))}");
    }
}
