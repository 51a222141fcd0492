using System.Text.Json;
using PscaleBot.Bot.Hosting;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>
/// Plans and serializes sample answers (a token list, a permission table, whoami; as Block Kit, and as a CSV file) once
/// at start, so the renderers, the reply planner and the JSON writers are compiled before the first real answer, which
/// otherwise pays for them (about 0.17 s against 5 ms for the next ones, measured with the load harness). Nothing is
/// sent: the planned messages are only serialized to a buffer.
/// </summary>
internal sealed class SlackAnswerWarmup(SlackReplyPlanner planner) : IStartupWarmup
{
    /// <inheritdoc />
    public string Name => "Slack answer rendering";

    /// <inheritdoc />
    public Task WarmAsync(CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UnixEpoch;
        var tokens = new TokenTable("warm-up", TokenTableKind.List,
            [new ServiceToken("warm0up0tok1", "warm-up", at, null, at), new ServiceToken("warm0up0tok2", null, at, at, null)]);
        var access = new PermissionTable("warm-up", "warm0up0tok1",
            [new PermissionRow("warm-up", ResourceKind.Database, [new PermissionEntry("read_branch"), new PermissionEntry("connect_branch")])]);
        var caller = new ChatIdentity(ChatPlatform.Slack, "slack:user:UWARMUP", [], "warm-up", "slack:team:TWARMUP");
        var whoami = new WhoAmIResult(caller, new ChatPlace(["slack:channel:CWARMUP"], IsDirect: false, "#warm-up"), ["warm-up"], "warm-up");
        var target = new SlackReplyTarget("TWARMUP", "CWARMUP", "UWARMUP", null, IsDirect: false);
        foreach (var response in new[]
        {
            new CommandResponse([tokens], OutputFormat.Human, ResponseVisibility.Private),
            new CommandResponse([tokens], OutputFormat.Csv, ResponseVisibility.Private),
            new CommandResponse([access], OutputFormat.Human, ResponseVisibility.Private),
            new CommandResponse([whoami], OutputFormat.Human, ResponseVisibility.Private),
        })
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var reply in planner.Plan(response, target))
            {
                _ = JsonSerializer.SerializeToUtf8Bytes(reply.Message, SlackJsonContext.Default.SlackResponseMessage);
            }
        }

        return Task.CompletedTask;
    }
}
