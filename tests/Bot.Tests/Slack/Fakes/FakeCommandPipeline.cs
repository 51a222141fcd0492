using System.Collections.Concurrent;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Slack.Fakes;

/// <summary>
/// A hand-written pipeline with a tiny grammar, enough to drive every path of the Slack layer:
/// "service-token show-access ID [--public]", "service-token list", "service-token create",
/// "service-token delete ID", "denied", "help", anything else → usage error.
/// </summary>
public sealed class FakeCommandPipeline : ICommandPipeline
{
    public ConcurrentQueue<ChatRequest> Prepared { get; } = new();
    public ConcurrentQueue<string> Executed { get; } = new();
    public int TokenCount { get; set; } = 3;
    public int DatabaseCount { get; set; } = 2;
    public SemaphoreSlim? ExecutionGate { get; set; }

    public Task<PreparedCommand> PrepareAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        Prepared.Enqueue(request);
        var words = request.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is ["explode", ..])
        {
            throw new InvalidOperationException("internal detail pscale_tkn_LEAK");
        }

        var isPublic = words.Contains("--public");
        var options = new CommonOptions(Org: "acme", Public: isPublic, Format: words.Contains("json") ? OutputFormat.Json : OutputFormat.Human);
        BotCommand? command = words switch
        {
            ["service-token", "show-access", var id, ..] => new ShowAccessCommand(options, id),
            ["service-token", "list", ..] => new ListTokensCommand(options),
            ["service-token", "create", ..] => new CreateTokenCommand(options, "ci", null),
            ["service-token", "delete", var id, ..] => new DeleteTokenCommand(options, id),
            ["help", ..] => new HelpCommand(options, null),
            ["denied", ..] => new ShowAccessCommand(options, "x"),
            _ => null,
        };
        var parse = new ParseOutcome(command, command is null ? new ParseError("Unknown command.", "pscale service-token <command>") : null, request.Text, request.Text.Contains("pscale_tkn_"));
        CommandResponse? immediate = words switch
        {
            ["denied", ..] => Response(ResponseVisibility.Private, new ErrorResult("You may not run show-access here.", "Ask in #db-oncall.", null, ErrorCategory.Denied)),
            ["help", ..] => Response(ResponseVisibility.Private, new HelpResult("Usage:\n  pscale service-token <command>\n\nAvailable Commands:\n  list   List tokens <all>")),
            _ when command is null => Response(ResponseVisibility.Private, new ErrorResult("Unknown command <x>.", null, "pscale service-token <command>", ErrorCategory.Usage)),
            _ => null,
        };
        if (immediate is not null && parse.ExposedSecret)
        {
            immediate = immediate with { SecretWarning = "Your message contained a token secret; revoke it." };
        }

        PolicyDecision decision = immediate is null ? new PolicyDecision.Allowed(["admin"]) : new PolicyDecision.Denied("no", null);
        return Task.FromResult(new PreparedCommand(request, parse, "acme", decision, immediate));
    }

    public async Task<CommandResponse> ExecuteAsync(PreparedCommand prepared, CancellationToken cancellationToken)
    {
        if (ExecutionGate is not null)
        {
            await ExecutionGate.WaitAsync(cancellationToken);
        }

        Executed.Enqueue(prepared.Request.Text);
        var created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var visibility = prepared.Command!.Options.Public ? ResponseVisibility.Public : ResponseVisibility.Private;
        return prepared.Command switch
        {
            ShowAccessCommand s => Response(visibility, new PermissionTable("acme", s.TokenId,
                [.. Enumerable.Range(0, DatabaseCount).Select(i => new PermissionRow($"db-{i:000}", ResourceKind.Database,
                    [new PermissionEntry("read_branch"), new PermissionEntry("connect_branch", PermissionChange.Added)]))])),
            ListTokensCommand => Response(visibility, new TokenTable("acme", TokenTableKind.List,
                [.. Enumerable.Range(0, TokenCount).Select(i => new ServiceToken($"tok{i:000000000}", $"name-{i}", created, null, null))])),
            CreateTokenCommand => Response(visibility, new TokenTable("acme", TokenTableKind.Created,
                [new ServiceToken("newtoken0001", "ci", created, null, null, new TokenSecret("pscale_tkn_SUPERSECRET"))])),
            DeleteTokenCommand d => Response(ResponseVisibility.Private, new MessageResult($"Token {d.TokenId} was successfully deleted.", MessageTone.Success))
                with { Announcement = $"{prepared.Request.Caller.DisplayName} deleted token {d.TokenId} <!channel>" },
            _ => throw new InvalidOperationException("unexpected"),
        };
    }

    private static CommandResponse Response(ResponseVisibility visibility, CommandResult result) =>
        new([result], OutputFormat.Human, visibility);
}

public sealed class FakeTextRenderer : PscaleBot.Commands.Results.Rendering.ITextResultRenderer
{
    public string Render(CommandResult result, OutputFormat format) =>
        format == OutputFormat.Json ? "{\"rendered\": \"" + result.GetType().Name + " <&>\"}" : "a,b\n1,2";
}
