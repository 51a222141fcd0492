using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using OpenTelemetry;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Hosting.Rehearsal;

/// <summary>
/// Runs the common read commands (<c>list</c>, <c>show</c>, <c>show-access</c>; as a table, CSV and JSON) once at
/// start, through the real pipeline's execution, handlers and PlanetScale client, so the first real command does not
/// pay for compiling and loading them (the async state machines, the client's read paths, the JSON). Measured in
/// <c>docs/benchmarks.md</c>.
/// </summary>
/// <remarks>
/// Nothing the rehearsal does can be seen outside the process, by construction rather than by flags on the real
/// services: it runs in a container of its own, built from the same registrations, in which
/// <list type="bullet">
/// <item>PlanetScale is <see cref="RehearsalPlanetScaleHandler"/>, in memory: no call, no use of the real rate budget,
/// read cache or credential (the rehearsal's credential is a throwaway one);</item>
/// <item>the audit log is a private in-memory one: the real audit trail gets no row, because nobody ran a command;</item>
/// <item>the commands are reads, marked allowed here (the real policy is neither asked nor changed), and their answers
/// are returned to nobody;</item>
/// <item>its logs go nowhere, its metrics to a meter no exporter listens to, and its spans are suppressed.</item>
/// </list>
/// Only the code paths are shared, which is the point.
/// </remarks>
internal sealed class CommandRehearsal(IServiceProvider host) : IStartupWarmup
{
    private static readonly string[] Commands =
    [
        "service-token list",
        "service-token list --format csv",
        $"service-token show {RehearsalPlanetScaleHandler.TokenId}",
        $"service-token show-access {RehearsalPlanetScaleHandler.TokenId}",
        $"service-token show-access {RehearsalPlanetScaleHandler.TokenId} --format json",
    ];

    /// <inheritdoc />
    public string Name => "command rehearsal";

    /// <summary>The answers of the last rehearsal, for its tests.</summary>
    public IReadOnlyList<CommandResponse> Answers { get; private set; } = [];

    /// <summary>Calls the rehearsal's PlanetScale could not answer in the last rehearsal (0 when it rehearsed what it meant to).</summary>
    public int Unanswered { get; private set; }

    /// <inheritdoc />
    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        // A host without the command core (a worker-only host, a test host) has nothing to rehearse.
        if (host.GetService<ICommandParser>() is not { } parser || host.GetService<IAuthorizationPolicy>() is not { } policy)
        {
            return;
        }

        var planetScale = new RehearsalPlanetScaleHandler();
        await using var rehearsal = Build(policy, planetScale);
        using var quiet = SuppressInstrumentationScope.Begin();
        var pipeline = rehearsal.GetRequiredService<ICommandPipeline>();
        var caller = new ChatIdentity(ChatPlatform.Shell, "rehearsal:user", [], "start-up rehearsal");
        var answers = new List<CommandResponse>();
        foreach (var text in Commands)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var request = new ChatRequest(caller, ChatPlace.Shell, text);
            var prepared = new PreparedCommand(request, parser.Parse(text), RehearsalPlanetScaleHandler.Organization,
                new PolicyDecision.Allowed(["rehearsal"]), null);
            answers.Add(await pipeline.ExecuteAsync(prepared, cancellationToken));
        }

        Answers = answers;
        Unanswered = planetScale.Unanswered;
    }

    private static ServiceProvider Build(IAuthorizationPolicy policy, RehearsalPlanetScaleHandler planetScale)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Never resolved: the primary handler below answers in memory.
            [$"{PlanetScaleOptions.SectionName}:BaseUrl"] = "https://rehearsal.invalid/v1",
            [$"{PlanetScaleOptions.SectionName}:ServiceTokenId"] = "rehearsal0id",
            [$"{PlanetScaleOptions.SectionName}:ServiceToken"] = "pscale_tkn_" + RandomNumberGenerator.GetHexString(43, lowercase: true),
            [$"{PlanetScaleOptions.SectionName}:DefaultOrganization"] = RehearsalPlanetScaleHandler.Organization,
        }).Build();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IMeterFactory, UnheardMeterFactory>();
        services.AddSingleton(policy);
        services.AddCommandGrammar();
        services.AddPlanetScaleClient(configuration);
        services.AddHttpClient(PlanetScaleClientServiceCollectionExtensions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => planetScale);
        // Batched as the real trail is, so the batching's code is rehearsed too; kept in memory and dropped.
        services.AddSingleton<IAuditLog>(new GroupCommitAuditLog(new InMemoryAuditLog(Commands.Length * 4)));
        services.AddCommandExecution();
        return services.BuildServiceProvider();
    }

    /// <summary>Meters under a name no exporter subscribes to: the rehearsal's calls are not PlanetScale calls.</summary>
    private sealed class UnheardMeterFactory : IMeterFactory
    {
        private readonly List<Meter> meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter($"PscaleBot.Rehearsal.{options.Name}", options.Version);
            lock (meters)
            {
                meters.Add(meter);
            }

            return meter;
        }

        public void Dispose()
        {
            lock (meters)
            {
                meters.ForEach(meter => meter.Dispose());
            }
        }
    }
}
