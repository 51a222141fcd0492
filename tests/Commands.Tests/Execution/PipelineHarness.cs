using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Tests.Execution.Fakes;

namespace PscaleBot.Commands.Tests.Execution;

/// <summary>A pipeline wired to in-memory fakes: organization acme with databases prod, staging, analytics.</summary>
public sealed class PipelineHarness
{
    public static readonly ChatPlace Admins = new(["slack:channel:CADMINS", "slack:team:T1"], false, "#db-admins");
    public static readonly ChatPlace OnCall = new(["slack:channel:CONCALL", "slack:team:T1"], false, "#db-oncall");
    public static readonly ChatIdentity Alice = new(ChatPlatform.Slack, "slack:user:UALICE", ["slack:usergroup:SADMINS"], "Alice", "slack:team:T1");
    public static readonly ChatIdentity Bob = new(ChatPlatform.Slack, "slack:user:UBOB", [], "Bob", "slack:team:T1");

    public static readonly ApprovalRequirement TwoPersonRule = new(
        "oncall", ["role:db-admin", "slack:user:UCAROL"], 2, TimeSpan.FromHours(1), TimeSpan.FromHours(4), true, false,
        new Dictionary<ChatPlatform, string> { [ChatPlatform.Slack] = "slack:channel:CADMINS" }, TimeSpan.FromMinutes(30), false);

    /// <param name="audit">The audit log, when not the in-memory one.</param>
    /// <param name="handlers">Registers handlers in place of the defaults (as the access workflow does).</param>
    /// <param name="botTokenId">The bot's own credential token id (<c>PlanetScale:ServiceTokenId</c>), when set.</param>
    public PipelineHarness(IAuditLog? audit = null, Action<IServiceCollection>? handlers = null, string? botTokenId = null)
    {
        PlanetScale = new InMemoryPlanetScale(Time);
        PlanetScale.AddOrganization("acme", "prod", "staging", "analytics");
        PlanetScale.AddOrganization("other", "payments");
        Audit = audit ?? new InMemoryAuditLog();
        Policy
            .Allow("slack:channel:CADMINS", "slack:usergroup:SADMINS", "db-admin", ["*"])
            .Allow("slack:channel:CADMINS", "slack:user:UBOB", "viewer", ["list", "show", "show-access"])
            .Allow("slack:channel:CONCALL", "*", "oncall", ["list", "show-access", "add-access"], ["prod", "staging"], TwoPersonRule);
        Settings = new PlanetScaleOptions { DefaultOrganization = "acme", ServiceTokenId = botTokenId };
        var options = Options.Create(Settings);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ILogger<CommandHandlers>>(HandlerLogger);
        services.AddSingleton<IPlanetScaleService>(PlanetScale);
        services.AddSingleton(Audit);
        handlers?.Invoke(services);
        services.AddCommandExecution();
        Services = services.BuildServiceProvider();

        Pipeline = new CommandPipeline(
            new SmallCommandParser(),
            Policy,
            new ListingHelpText(),
            Services.GetRequiredService<CommandHandlers>(),
            new CommandAuditRecorder(Audit, Time, AuditLogger),
            options,
            Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    public InMemoryPlanetScale PlanetScale { get; }
    /// <summary>The PlanetScale settings the pipeline reads (the bot's own token id among them).</summary>
    public PlanetScaleOptions Settings { get; }
    public IAuditLog Audit { get; }
    public RulePolicy Policy { get; } = new();
    public FakeLogger<CommandHandlers> HandlerLogger { get; } = new();
    public FakeLogger<CommandAuditRecorder> AuditLogger { get; } = new();
    public ServiceProvider Services { get; }
    public CommandPipeline Pipeline { get; }

    public async Task<(PreparedCommand Prepared, CommandResponse Response)> RunAsync(
        string text, ChatIdentity? caller = null, ChatPlace? place = null, CancellationToken cancellationToken = default)
    {
        var request = new ChatRequest(caller ?? Alice, place ?? Admins, text);
        var prepared = await Pipeline.PrepareAsync(request, cancellationToken);
        var response = await Pipeline.ExecuteAsync(prepared, cancellationToken);
        return (prepared, response);
    }

    public async Task<AuditEntry> LastAuditAsync() => (await Audit.RecentAsync(1, CancellationToken.None)).Single();
}
