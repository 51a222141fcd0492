using BenchmarkDotNet.Attributes;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Benchmarks.Policy;

/// <summary>
/// <see cref="IAuthorizationPolicy.Authorize"/> over <see cref="RealisticPolicy"/> (20 roles, 100 bindings, globs),
/// loaded through <see cref="PolicyFileLoader"/> as the bot loads it. Target: under 10 µs and under 4 KB per decision;
/// every command is authorised once on the acknowledgement path.
/// </summary>
public class PolicyBenchmarks
{
    private static readonly ChatIdentity Developer = new(
        ChatPlatform.Slack,
        "slack:user:U0007ALICE",
        ["slack:usergroup:S0007DEVS", "slack:usergroup:S0003ONCALL", "slack:usergroup:S9001", "slack:usergroup:S0EVERYONE"],
        "alice",
        "slack:team:T0ACME");

    private static readonly ChatIdentity OnCall = Developer with { GroupIds = ["slack:usergroup:S0007ONCALL", "slack:usergroup:S0007DEVS"] };

    private static readonly ChatPlace DevChannel = new(["slack:channel:C0007DEV"], IsDirect: false, "#team07-dev");
    private static readonly ChatPlace OpsChannel = new(["slack:channel:C0007OPS"], IsDirect: false, "#team07-ops");
    private static readonly ChatPlace Stranger = new(["slack:channel:C0999RANDOM"], IsDirect: false, "#random");

    private IAuthorizationPolicy policy = null!;
    private BotCommand addAccessStaging = null!;
    private BotCommand addAccessProd = null!;
    private BotCommand deleteToken = null!;
    private BotCommand showAccess = null!;

    [GlobalSetup]
    public void Setup()
    {
        var loaded = PolicyFileLoader.Parse(RealisticPolicy.Yaml);
        if (!loaded.IsValid)
        {
            throw new InvalidOperationException("the generated policy is invalid: " + string.Join("; ", loaded.Errors.Select(e => $"{e.Line}:{e.Column} {e.Message}")));
        }

        var document = loaded.Document!;
        if (document.Roles.Count != 20 || document.Bindings.Count != 100)
        {
            throw new InvalidOperationException($"the generated policy has {document.Roles.Count} roles and {document.Bindings.Count} bindings, not 20 and 100");
        }

        policy = new PolicyEvaluator(document, "acme");
        addAccessStaging = Parsed("service-token add-access abc123def456 read_branch connect_branch create_deploy_request --database team07-orders --for 2h");
        addAccessProd = Parsed("service-token add-access abc123def456 connect_production_branch --database prod-orders --reason \"INC-1\"");
        deleteToken = Parsed("service-token delete abc123def456");
        showAccess = Parsed("service-token show-access abc123def456");

        Expect<PolicyDecision.Allowed>(AllowedAddAccess());
        Expect<PolicyDecision.NeedsApproval>(NeedsApproval());
        Expect<PolicyDecision.Denied>(DeniedSubCommand());
        Expect<PolicyDecision.Denied>(DeniedNoRoleHere());
    }

    [Benchmark(Description = "allowed: add-access, 3 permissions, db glob")]
    public PolicyDecision AllowedAddAccess() => policy.Authorize(Developer, DevChannel, addAccessStaging, "acme");

    [Benchmark(Description = "needs approval: prod grant by on-call")]
    public PolicyDecision NeedsApproval() => policy.Authorize(OnCall, OpsChannel, addAccessProd, "acme");

    [Benchmark(Description = "denied: sub-command no role allows")]
    public PolicyDecision DeniedSubCommand() => policy.Authorize(Developer, DevChannel, deleteToken, "acme");

    [Benchmark(Description = "denied: no role here (looks elsewhere)")]
    public PolicyDecision DeniedNoRoleHere() => policy.Authorize(Developer, Stranger, showAccess, "acme");

    private static BotCommand Parsed(string line) =>
        new ServiceTokenCommandParser().Parse(line).Command ?? throw new InvalidOperationException($"sample does not parse: {line}");

    private static void Expect<T>(PolicyDecision decision)
        where T : PolicyDecision
    {
        if (decision is not T)
        {
            throw new InvalidOperationException($"expected {typeof(T).Name}, got {decision}");
        }
    }
}
