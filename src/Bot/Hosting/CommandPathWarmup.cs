using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Hosting;

/// <summary>
/// Parses and authorises sample commands once at start, so the parser, the policy (loaded from its file here) and
/// their regexes are compiled before the first real command instead of during it. Nothing runs and nothing is
/// audited: the pipeline is not involved, only its two pure steps. A host without a parser or a policy (a worker-only
/// host, or a test host) has nothing to warm, so the step is then a no-op rather than a start-up failure.
/// </summary>
internal sealed class CommandPathWarmup(IServiceProvider services) : IStartupWarmup
{
    private static readonly string[] Samples =
    [
        "service-token list",
        "service-token list --format csv",
        "service-token show-access warmup0token",
        "service-token grant warmup0token --database warmup --permission read_branch --for 1h --reason warm-up",
        "whoami",
    ];

    /// <inheritdoc />
    public string Name => "command parser and policy";

    /// <inheritdoc />
    public Task WarmAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<ICommandParser>() is not { } parser || services.GetService<IAuthorizationPolicy>() is not { } policy)
        {
            return Task.CompletedTask;
        }

        var caller = new ChatIdentity(ChatPlatform.Slack, "slack:user:UWARMUP", ["slack:usergroup:SWARMUP"], "warm-up", "slack:team:TWARMUP");
        var place = new ChatPlace(["slack:channel:CWARMUP"], IsDirect: false, "#warm-up");
        foreach (var sample in Samples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (parser.Parse(sample).Command is { } command)
            {
                _ = policy.Authorize(caller, place, command, "warm-up");
            }
        }

        _ = policy.RolesFor(caller, place);
        return Task.CompletedTask;
    }
}
