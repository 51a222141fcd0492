using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Rotation;
using PscaleBot.Commands.Tests.Execution.Fakes;
using PscaleBot.Commands.Tests.Policy;

namespace PscaleBot.Commands.Tests.Rotation;

/// <summary>The rotate handler and the deletion sweeper on in-memory PlanetScale, stores and audit, on one fake clock.</summary>
internal sealed class RotationWorld
{
    public const string Yaml = """
        roles:
          rotator:
            commands: [rotate]
            databases: ["*"]
            permissions: ["*"]
          prod-rotator:
            commands: [rotate]
            databases: [prod]
            permissions: [read_branch, connect_branch]
        bindings:
          - where: shell
            who: shell:user:alice
            roles: [rotator]
          - where: shell
            who: shell:user:pat
            roles: [prod-rotator]
        """;

    public static readonly ChatIdentity Alice = new(ChatPlatform.Shell, "shell:user:alice", [], "alice");
    public static readonly ChatIdentity Pat = new(ChatPlatform.Shell, "shell:user:pat", [], "pat");

    public RotationWorld()
    {
        PlanetScale = new InMemoryPlanetScale(Time);
        PlanetScale.AddOrganization("acme", "prod", "staging");
        Policy = PolicyTestData.Evaluator(Yaml);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    public InMemoryPlanetScale PlanetScale { get; }
    public InMemoryTokenRetirementStore Store { get; } = new();
    public InMemoryAccessStore AccessStore { get; } = new();
    public InMemoryAuditLog Audit { get; } = new();
    public RecordingNotifier Notices { get; } = new();
    public PolicyEvaluator Policy { get; }

    public RotateTokenHandler Handler() => new(
        PlanetScale, new GrantCopy(PlanetScale), Store, AccessStore, Policy, new RotationCancellation(Store, Time), new TokenRetirementWake(), Time);

    public TokenRetirementSweeper Sweeper() => new(
        Store, PlanetScale, new AccessAuditor(Audit, Time, NullLogger<AccessAuditor>.Instance),
        new AccessNotificationDispatcher([Notices], NullLogger<AccessNotificationDispatcher>.Instance), Time, NullLogger<TokenRetirementSweeper>.Instance);

    public Task<ExecutionOutcome> RotateAsync(string tokenId, TimeSpan? grace = null, ChatIdentity? who = null, bool cancel = false, bool dryRun = false)
    {
        var caller = who ?? Alice;
        var command = new RotateTokenCommand(new CommonOptions(DryRun: dryRun), tokenId, grace ?? TimeSpan.FromHours(1), cancel);
        var request = new ChatRequest(caller, ChatPlace.Shell, $"service-token rotate {tokenId}");
        var decision = Policy.Authorize(caller, ChatPlace.Shell, command, "acme");
        Assert.IsType<PolicyDecision.Allowed>(decision);
        return Handler().HandleAsync(command, new CommandContext(request, "acme", decision), CancellationToken.None);
    }

    /// <summary>Captures every access notice.</summary>
    public sealed class RecordingNotifier : IAccessNotifier
    {
        public List<AccessNotification> Sent { get; } = [];

        public Task NotifyAsync(AccessNotification notification, CancellationToken cancellationToken)
        {
            Sent.Add(notification);
            return Task.CompletedTask;
        }
    }
}
