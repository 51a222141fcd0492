using System.Collections.Concurrent;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Bot.Tests.Teams.Support;

/// <summary>
/// Stands in for the core pipeline: "parses" the first words into a command and answers with whatever
/// <see cref="Respond"/> returns. Records every request it sees.
/// </summary>
public sealed class FakeCommandPipeline : ICommandPipeline
{
    private readonly ConcurrentQueue<ChatRequest> prepared = new();
    private int executions;

    public Func<ChatRequest, CommandResponse> Respond { get; set; } = _ => new CommandResponse(
        [SampleResults.Permissions()], OutputFormat.Human, ResponseVisibility.Public);

    public IReadOnlyList<ChatRequest> Prepared => [.. prepared];

    public int Executions => executions;

    public Task<PreparedCommand> PrepareAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        prepared.Enqueue(request);
        BotCommand command = request.Text.StartsWith("service-token create", StringComparison.Ordinal)
            ? new CreateTokenCommand(CommonOptions.Default, null, null)
            : request.Text.StartsWith("service-token delete ", StringComparison.Ordinal)
                ? new DeleteTokenCommand(CommonOptions.Default, "abc123def456")
                : new ShowAccessCommand(CommonOptions.Default, "abc123def456");
        return Task.FromResult(new PreparedCommand(request, new ParseOutcome(command, null, request.Text, false), "acme",
            new PolicyDecision.Allowed(["reader"]), null));
    }

    public Task<CommandResponse> ExecuteAsync(PreparedCommand prepared, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref executions);
        return Task.FromResult(Respond(prepared.Request));
    }
}

public sealed class FakeTokenSource : IBotConnectorTokenSource
{
    public const string Token = "fake-connector-token";

    public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(Token);
}

/// <summary>Marks its output so tests see JSON/CSV came through the shared text renderer.</summary>
public sealed class FakeTextRenderer : ITextResultRenderer
{
    public string Render(CommandResult result, OutputFormat format) => $"{format.ToString().ToLowerInvariant()} of {result.GetType().Name}";
}

public static class SampleResults
{
    public static readonly DateTimeOffset Created = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    public static PermissionTable Permissions(int databases = 2, bool changes = false) => new("acme", "abc123def456",
    [
        .. Enumerable.Range(1, databases).Select(i => new PermissionRow($"db-{i:000}", ResourceKind.Database,
        [
            new PermissionEntry("read_branch"),
            new PermissionEntry("create_branch", changes && i == 1 ? PermissionChange.Added : PermissionChange.Unchanged),
            .. changes && i == 1 ? [new PermissionEntry("delete_branch", PermissionChange.Removed)] : Array.Empty<PermissionEntry>(),
        ])),
        new PermissionRow("acme", ResourceKind.Organization, [new PermissionEntry("read_organization")]),
    ]);

    public const string SecretValue = "pscale_tkn_ThisIsTheSecretValue0123456789";

    public static TokenTable CreatedToken() => new("acme", TokenTableKind.Created,
        [new ServiceToken("newtok000001", "ci-deploy", Created, Created.AddDays(30), null, new TokenSecret(SecretValue))]);

    public static TokenTable TokenList(int count = 3) => new("acme", TokenTableKind.List,
        [.. Enumerable.Range(1, count).Select(i => new ServiceToken($"tok{i:000000000}", i % 2 == 0 ? null : $"token-{i}", Created.AddDays(-i), i % 3 == 0 ? Created.AddDays(i) : null, i % 2 == 0 ? Created.AddHours(-i) : null))]);

    public static CommandResponse Public(params CommandResult[] results) => new(results, OutputFormat.Human, ResponseVisibility.Public);
}
