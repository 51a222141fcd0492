using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Permissions;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>
/// A PlanetScale token-permission store that behaves like the API: unknown tokens are 404, unknown permission
/// names and adding a held permission are 422, deleting one not held is 422, and reads return every row.
/// </summary>
public sealed class FakePlanetScale : IPlanetScaleService
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<(ResourceKind Kind, string Resource, string Permission)>> tokens = new();
    private int nextRow;

    public string Organization { get; } = "acme";

    /// <summary>How many DeleteAccess calls still fail with a 503 before they work again.</summary>
    public int DeleteFailuresLeft { get; set; }

    /// <summary>The next AddAccess applies the change but answers with a timeout, as a lost response would.</summary>
    public bool NextAddTimesOutAfterApplying { get; set; }

    /// <summary>Runs inside each DeleteAccess call before it answers (a slow PlanetScale: advance the clock here).</summary>
    public Action? DuringDelete { get; set; }

    /// <summary>Awaited at the start of each DeleteAccess call, with its token: a DELETE PlanetScale has not answered yet.</summary>
    public Func<CancellationToken, Task>? BeforeDelete { get; set; }

    public int AddCalls { get; private set; }

    public int DeleteCalls { get; private set; }

    public List<string> Log { get; } = [];

    public void AddToken(string tokenId, params (string? Database, string Permission)[] held)
    {
        lock (gate)
        {
            tokens[tokenId] = [.. held.Select(h => Row(h.Database, h.Permission))];
        }
    }

    public bool Holds(string tokenId, string? database, string permission)
    {
        lock (gate)
        {
            return tokens[tokenId].Contains(Row(database, permission));
        }
    }

    /// <summary>A change made by hand outside the bot.</summary>
    public void SetByHand(string tokenId, string? database, string permission, bool held)
    {
        lock (gate)
        {
            if (held)
            {
                tokens[tokenId].Add(Row(database, permission));
            }
            else
            {
                tokens[tokenId].Remove(Row(database, permission));
            }
        }
    }

    public Task<IReadOnlyList<TokenAccess>> GetAccessAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(Rows(Token(organization, tokenId)));
        }
    }

    public Task<IReadOnlyList<TokenAccess>> AddAccessAsync(string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            AddCalls++;
            Log.Add($"add {tokenId} {database} {string.Join(",", permissions)}");
            var held = Token(organization, tokenId);
            foreach (var permission in permissions)
            {
                if (!PermissionCatalog.TryGet(permission, out var info) || info.Scope != (database is null ? ResourceKind.Organization : ResourceKind.Database))
                {
                    throw new PlanetScaleApiException(PlanetScaleErrorKind.Invalid, $"invalid access {permission}", 422, "unprocessable");
                }

                if (held.Contains(Row(database, permission)))
                {
                    throw new PlanetScaleApiException(PlanetScaleErrorKind.Invalid, $"access {permission} already exists", 422, "unprocessable");
                }
            }

            foreach (var permission in permissions)
            {
                held.Add(Row(database, permission));
            }

            if (NextAddTimesOutAfterApplying)
            {
                NextAddTimesOutAfterApplying = false;
                throw new PlanetScaleApiException(PlanetScaleErrorKind.Timeout, "PlanetScale did not answer within 10s");
            }

            return Task.FromResult(Rows(held));
        }
    }

    public async Task DeleteAccessAsync(string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
    {
        if (BeforeDelete is { } stall)
        {
            await stall(cancellationToken);
        }

        Delete(organization, tokenId, database, permissions);
    }

    private void Delete(string organization, string tokenId, string? database, IReadOnlyList<string> permissions)
    {
        lock (gate)
        {
            DeleteCalls++;
            Log.Add($"delete {tokenId} {database} {string.Join(",", permissions)}");
            DuringDelete?.Invoke();
            if (DeleteFailuresLeft > 0)
            {
                DeleteFailuresLeft--;
                throw new PlanetScaleApiException(PlanetScaleErrorKind.ServerError, "PlanetScale answered 503 Service Unavailable", 503);
            }

            var held = Token(organization, tokenId);
            if (permissions.Any(p => !held.Contains(Row(database, p))))
            {
                throw new PlanetScaleApiException(PlanetScaleErrorKind.Invalid, "access not found", 422, "unprocessable");
            }

            foreach (var permission in permissions)
            {
                held.Remove(Row(database, permission));
            }
        }
    }

    public Task<IReadOnlyList<TokenGrant>> GetGrantsAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<TokenGrant> grants = [.. Token(organization, tokenId)
                .GroupBy(r => (r.Kind, r.Resource))
                .Select(g => new TokenGrant(g.Key.Resource, g.Key.Kind, [.. g.Select(r => r.Permission).Order()]))];
            return Task.FromResult(grants);
        }
    }

    public Task<IReadOnlyList<ServiceToken>> ListTokensAsync(string organization, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ServiceToken> CreateTokenAsync(string organization, string? name, TimeSpan? ttl, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ServiceToken> GetTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<string>> ListOrganizationsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<string>> ListDatabasesAsync(string organization, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <summary>PlanetScale's audit log (service-token events), newest first; null: the log cannot be read (no read_audit_logs).</summary>
    public List<PlanetScaleAuditEvent>? AuditEvents { get; set; } = [];

    public Task<IReadOnlyList<PlanetScaleAuditEvent>> ListServiceTokenEventsAsync(string organization, int limit, CancellationToken cancellationToken) =>
        AuditEvents is { } events
            ? Task.FromResult<IReadOnlyList<PlanetScaleAuditEvent>>([.. events.Take(limit)])
            : throw new PlanetScaleApiException(PlanetScaleErrorKind.NotFound, "PlanetScale could not read the audit log: organization `acme` was not found.", 404);

    private (ResourceKind, string, string) Row(string? database, string permission) =>
        database is null ? (ResourceKind.Organization, Organization, permission) : (ResourceKind.Database, database, permission);

    private HashSet<(ResourceKind Kind, string Resource, string Permission)> Token(string organization, string tokenId)
    {
        if (organization != Organization || !tokens.TryGetValue(tokenId, out var held))
        {
            throw new PlanetScaleApiException(PlanetScaleErrorKind.NotFound, $"token {tokenId} does not exist in organization {organization}", 404, "not_found");
        }

        return held;
    }

    private IReadOnlyList<TokenAccess> Rows(IEnumerable<(ResourceKind Kind, string Resource, string Permission)> held) =>
        [.. held.Select(r => new TokenAccess($"row{Interlocked.Increment(ref nextRow)}", r.Permission, r.Kind, r.Resource))];
}

/// <summary>
/// A policy shaped like the policy file's: add-access with --for needs approval under <see cref="Requirement"/>
/// (or is allowed for <see cref="TrustedUsers"/>); show/delete-access are allowed for <see cref="Admins"/>;
/// approvers are the requirement's listed ids, matched against the user and their groups.
/// </summary>
public sealed class FakePolicy : IAuthorizationPolicy
{
    public ApprovalRequirement Requirement { get; set; } = AccessWorld.DefaultRequirement;

    public HashSet<string> TrustedUsers { get; } = [];

    public HashSet<string> Admins { get; } = [];

    /// <summary>A policy file's evaluator that decides instead, when a test needs the real rules (durations, ceilings).</summary>
    public PolicyEvaluator? Real { get; set; }

    public PolicyDecision AuthorizeExtension(ChatIdentity caller, ChatPlace place, AddAccessCommand lifetime, string organization) =>
        Real?.AuthorizeExtension(caller, place, lifetime, organization) ?? Authorize(caller, place, lifetime, organization);

    public PolicyDecision Authorize(ChatIdentity caller, ChatPlace place, BotCommand command, string organization) => Real?.Authorize(caller, place, command, organization) ?? command switch
    {
        AddAccessCommand when TrustedUsers.Contains(caller.UserId) => new PolicyDecision.Allowed(["trusted"]),
        AddAccessCommand add when add.Database == "prod" => new PolicyDecision.NeedsApproval(["oncall"], Requirement),
        ShowAccessCommand or DeleteAccessCommand when Admins.Contains(caller.UserId) => new PolicyDecision.Allowed(["db-admin"]),
        _ => new PolicyDecision.Denied($"no role of yours allows {command.PolicyName} here", null),
    };

    public IReadOnlyList<string> RolesFor(ChatIdentity caller, ChatPlace place) => ["oncall"];

    public bool AllowsSubCommand(ChatIdentity caller, ChatPlace place, string policyName) => true;

    public bool IsApprover(ChatIdentity approver, ChatPlace place, ApprovalRequirement requirement) =>
        Real?.IsApprover(approver, place, requirement) ?? approver.AllIds.Any(id => requirement.Approvers.Contains(id));
}

public sealed class RecordingAuditLog : IAuditLog
{
    private readonly List<AuditEntry> entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public IReadOnlyList<AuditEntry> Transitions(string decision) => [.. Entries.Where(e => e.Decision == decision)];

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (entries)
        {
            entries.Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([.. Entries.AsEnumerable().Reverse().Take(limit)]);
}

public sealed class RecordingNotifier : IAccessNotifier
{
    private readonly List<AccessNotification> sent = [];

    public IReadOnlyList<AccessNotification> Sent
    {
        get
        {
            lock (sent)
            {
                return [.. sent];
            }
        }
    }

    public IReadOnlyList<T> Of<T>() where T : AccessNotification => [.. Sent.OfType<T>()];

    public Task NotifyAsync(AccessNotification notification, CancellationToken cancellationToken)
    {
        lock (sent)
        {
            sent.Add(notification);
        }

        return Task.CompletedTask;
    }
}

public sealed class FixedRoster : IOnCallRoster
{
    public List<OnCallShift> Shifts { get; } = [];

    public bool Broken { get; set; }

    /// <summary>Thrown on every lookup when set (an on-call service that cannot answer).</summary>
    public Exception? Failure { get; set; }

    public Task<OnCallShift?> FindShiftAsync(ChatIdentity who, DateTimeOffset at, CancellationToken cancellationToken) =>
        Failure is not null ? throw Failure
        : Broken
            ? throw new FormatException("Line 3: 'until' must be after 'from'.")
            : Task.FromResult(Shifts.FirstOrDefault(s => who.AllIds.Contains(s.Who) && s.Covers(at)));
}

/// <summary>Everything the access workflow needs, wired by hand over one store, with fakes at the edges.</summary>
public sealed class AccessWorld
{
    public const string Token = "tok123abc456";

    /// <summary>The bot's own service token id (PlanetScale:ServiceTokenId).</summary>
    public const string BotToken = "pscalebot001";
    public const string ApproversChannel = "slack:channel:CAPPROVERS";

    public static readonly ChatIdentity Alice = new(ChatPlatform.Slack, "slack:user:UALICE", ["slack:usergroup:SONCALL"], "Alice");
    public static readonly ChatIdentity Bob = new(ChatPlatform.Slack, "slack:user:UBOB", [], "Bob");
    public static readonly ChatIdentity Carol = new(ChatPlatform.Slack, "slack:user:UCAROL", ["slack:usergroup:SDBA"], "Carol");
    public static readonly ChatIdentity Mallory = new(ChatPlatform.Slack, "slack:user:UMALLORY", [], "Mallory");
    public static readonly ChatPlace OnCallChannel = new(["slack:channel:CONCALL"], false, "#db-oncall");

    public static readonly ApprovalRequirement DefaultRequirement = new(
        "oncall",
        ["slack:user:UBOB", "slack:usergroup:SDBA", "slack:user:UALICE"],
        1,
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(4),
        ReasonRequired: true,
        BreakGlassAllowed: true,
        new Dictionary<ChatPlatform, string> { [ChatPlatform.Slack] = ApproversChannel },
        TimeSpan.FromMinutes(30),
        OnCallAutoApprove: false);

    public const string Host = "revoker:test-host";

    public AccessWorld(IAccessStore store, FakeTimeProvider? time = null, FakePlanetScale? api = null, FakePolicy? policy = null, RecordingAuditLog? audit = null, RecordingNotifier? notices = null, FixedRoster? roster = null, string instanceId = Host, ITokenChangeLock? tokenLock = null)
    {
        Store = store;
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero));
        Replica = new AccessReplicaIdentity(instanceId, DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds()));
        Api = api ?? NewApi();
        Policy = policy ?? new FakePolicy();
        Audit = audit ?? new RecordingAuditLog();
        Notices = notices ?? new RecordingNotifier();
        Roster = roster ?? new FixedRoster();
        var options = Options.Create(Settings);
        var ids = new AccessIdGenerator(store);
        var auditor = new AccessAuditor(Audit, Time, NullLogger<AccessAuditor>.Instance);
        var dispatcher = new AccessNotificationDispatcher([Notices], NullLogger<AccessNotificationDispatcher>.Instance);
        Grantor = new AccessGrantor(Api, store, tokenLock ?? new TokenOperationLock(), Wake, Time);
        var filing = new RequestFiling(store, auditor, dispatcher);
        var reporter = new GrantReporter(auditor, dispatcher);
        var extension = new GrantExtension(store, auditor, Time);
        Settlement = new RequestSettlement(store, ids, Grantor, Policy, auditor, dispatcher, reporter, extension, Time);
        Requests = new GrantRequests(store, ids, Grantor, Policy, Roster, auditor, dispatcher, filing, reporter, Settlement, Time, NullLogger<GrantRequests>.Instance);
        Grants = new GrantChanges(store, ids, Grantor, Policy, auditor, dispatcher, filing, extension, Time);
        Listing = new AccessListing(store, Policy, Time);
        Sweeper = new AccessSweeper(store, Settlement, Grantor, auditor, dispatcher, Replica, options, Time, NullLogger<AccessSweeper>.Instance);
        Reconciler = new AccessReconciler(store, Api, auditor, dispatcher, new ReportedDrift(), options, Time, NullLogger<AccessReconciler>.Instance,
            Options.Create(new PlanetScaleOptions { ServiceTokenId = BotToken }));
        Handlers = BuildHandlers();
    }

    public AccessRequestOptions Settings { get; } = new()
    {
        ReminderLeadTime = TimeSpan.FromMinutes(10),
        RevokeRetryInitialDelay = TimeSpan.FromSeconds(30),
        RevokeRetryMaxDelay = TimeSpan.FromMinutes(5),
        RevokeAlertAfterFailures = 3,
    };

    public IAccessStore Store { get; }
    public FakeTimeProvider Time { get; }
    /// <summary>This run of the bot, as its revoke claims name it.</summary>
    public AccessReplicaIdentity Replica { get; }
    public FakePlanetScale Api { get; }
    public FakePolicy Policy { get; }
    public RecordingAuditLog Audit { get; }
    public RecordingNotifier Notices { get; }
    public FixedRoster Roster { get; }
    public AccessWakeSignal Wake { get; } = new();
    public AccessGrantor Grantor { get; }
    public GrantRequests Requests { get; }
    public RequestSettlement Settlement { get; }
    public GrantChanges Grants { get; }
    public AccessListing Listing { get; }
    public AccessSweeper Sweeper { get; }
    public AccessReconciler Reconciler { get; }
    /// <summary>The command handlers as the bot registers them, over this world's use cases.</summary>
    public CommandHandlers Handlers { get; }

    /// <summary>New service instances over <paramref name="store"/> sharing this world's PlanetScale, clock, audit and policy: a restarted bot (same instance, started now).</summary>
    public AccessWorld Restart(IAccessStore store) => new(store, Time, Api, Policy, Audit, Notices, Roster, Replica.InstanceId);

    /// <summary>A second bot running beside this one over <paramref name="store"/> (another replica, with a name of its own).</summary>
    public AccessWorld OtherReplica(IAccessStore store, string instanceId = "revoker:other-host") => new(store, Time, Api, Policy, Audit, Notices, Roster, instanceId);

    public static FakePlanetScale NewApi()
    {
        var api = new FakePlanetScale();
        api.AddToken(Token, ("prod", "read_branch"));
        return api;
    }

    public static ChatRequest Chat(ChatIdentity who, ChatPlace? place = null) => new(who, place ?? OnCallChannel, "(typed)");

    public static AddAccessCommand AddAccess(string? database, TimeSpan? duration, string? reason, bool breakGlass = false, params string[] permissions) =>
        new(CommonOptions.Default, Token, permissions.Length == 0 ? ["connect_production_branch"] : permissions, database, duration, reason, breakGlass);

    public Task<AccessOutcome> RequestAsync(ChatIdentity who, TimeSpan? duration = null, string? reason = "INC-42 replica lag", bool breakGlass = false, params string[] permissions) =>
        Requests.RequestAsync(Chat(who), Api.Organization, AddAccess("prod", duration, reason, breakGlass, permissions),
            new PolicyDecision.NeedsApproval(["oncall"], Policy.Requirement), CancellationToken.None);

    public Task<AccessOutcome> GrantAllowedAsync(ChatIdentity who, TimeSpan duration, params string[] permissions) =>
        Requests.GrantTimeBoundAsync(Chat(who), Api.Organization, AddAccess("prod", duration, "maintenance", false, permissions), CancellationToken.None);

    public Task<AccessOutcome> ApproveAsync(string id, ChatIdentity who) => Settlement.ApproveAsync(id, who, OnCallChannel, CancellationToken.None);

    /// <summary>Runs <paramref name="command"/> as <paramref name="who"/> typed it in the on-call channel, through its registered handler.</summary>
    public Task<ExecutionOutcome> RunAsync(ChatIdentity who, BotCommand command, PolicyDecision decision) =>
        Handlers.RunAsync(command, new CommandContext(Chat(who), Api.Organization, decision), CancellationToken.None);

    public Task<DateTimeOffset?> SweepAsync() => Sweeper.SweepAsync(CancellationToken.None);

    private CommandHandlers BuildHandlers()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Requests).AddSingleton(Settlement).AddSingleton(Grants).AddSingleton(Listing);
        services.AddSingleton<IPlanetScaleService>(Api);
        services.AddSingleton<IAuditLog>(Audit);
        services.AddCommandExecution();
        services.AddAccessWorkflow();
        return services.BuildServiceProvider().GetRequiredService<CommandHandlers>();
    }

    public bool Holds(string permission = "connect_production_branch", string? database = "prod") => Api.Holds(Token, database, permission);
}
