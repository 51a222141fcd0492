using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Access;

/// <summary>How real permissions differ from what the bot believes.</summary>
public enum DriftKind
{
    /// <summary>An active grant's permission is not held (removed by hand, or the token is gone).</summary>
    Missing,
    /// <summary>A permission the bot revoked is held again and no active grant needs it.</summary>
    Extra,
    /// <summary>PlanetScale's audit log shows a change to the grant's token that the bot's credential did not make.</summary>
    Outside,
}

/// <summary>One difference.</summary>
/// <param name="Kind">Missing or extra.</param>
/// <param name="GrantId">The grant concerned.</param>
/// <param name="Target">Token and resource (with the one permission concerned).</param>
/// <param name="Detail">For <see cref="DriftKind.Outside"/>: the event, who made it and when.</param>
public sealed record DriftItem(DriftKind Kind, string GrantId, AccessTarget Target, string? Detail = null)
{
    /// <summary>One line for people.</summary>
    public string Describe() => Kind switch
    {
        DriftKind.Missing => $"{GrantId}: {Target.Describe()} should be held but is not",
        DriftKind.Extra => $"{GrantId}: {Target.Describe()} was revoked but is held again",
        _ => $"{GrantId}: token {Target.TokenId} was changed outside the bot: {Detail}",
    };
}

/// <summary>
/// Compares the grants the bot believes are active (and those it recently revoked) with each token's real
/// permissions (<see cref="IPlanetScaleService.GetGrantsAsync"/>), and reports new differences in the audit and
/// to approvers. It repairs nothing: a drift may be a person's deliberate change.
/// </summary>
public sealed partial class AccessReconciler(
    IAccessStore store,
    IPlanetScaleService planetScale,
    AccessAuditor audit,
    AccessNotificationDispatcher notify,
    ReportedDrift reported,
    IOptions<AccessRequestOptions> options,
    TimeProvider time,
    ILogger<AccessReconciler> logger,
    IOptions<PlanetScaleOptions>? planetScaleOptions = null)
{
    /// <summary>PlanetScale audit events read per organization and pass (the newest).</summary>
    public const int OutsideEventsPerPass = 100;

    /// <summary>Checks every token with active or recently ended grants; returns all current drift (new and already reported).</summary>
    public async Task<IReadOnlyList<DriftItem>> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var active = (await store.ListActiveGrantsAsync(cancellationToken)).Where(g => !g.IsOverdue(now)).ToList();
        var ended = await store.ListEndedGrantsAsync(now - options.Value.ReconcileLookback, cancellationToken);
        var drift = new List<DriftItem>();
        var grantsByToken = active.Concat(ended).GroupBy(g => (g.Target.Organization, g.Target.TokenId));
        foreach (var token in grantsByToken)
        {
            HashSet<string> held;
            try
            {
                var grants = await planetScale.GetGrantsAsync(token.Key.Organization, token.Key.TokenId, cancellationToken);
                held = grants.SelectMany(g => g.Permissions.Select(p => Key(g.ResourceKind, g.ResourceName, p))).ToHashSet(StringComparer.Ordinal);
            }
            catch (PlanetScaleApiException ex) when (ex.Kind == PlanetScaleErrorKind.NotFound)
            {
                held = [];
            }
            catch (PlanetScaleApiException ex)
            {
                LogUnavailable(token.Key.TokenId, ex.Message);
                continue;
            }

            var tokenActive = token.Where(g => g.IsActive).ToList();
            foreach (var grant in tokenActive)
            {
                drift.AddRange(grant.Target.Permissions
                    .Where(p => !held.Contains(Key(grant.Target, p)))
                    .Select(p => new DriftItem(DriftKind.Missing, grant.Id, grant.Target with { Permissions = [p] })));
            }

            foreach (var grant in token.Where(g => !g.IsActive))
            {
                drift.AddRange((grant.RemovedPermissions ?? [])
                    .Where(p => held.Contains(Key(grant.Target, p))
                        && !tokenActive.Any(a => a.Target.SameResource(grant.Target) && a.Target.Permissions.Contains(p, StringComparer.Ordinal)))
                    .Select(p => new DriftItem(DriftKind.Extra, grant.Id, grant.Target with { Permissions = [p] })));
            }
        }

        drift.AddRange(await OutsideChangesAsync(active.Concat(ended).ToList(), now, cancellationToken));
        await ReportNewAsync(drift, active.Concat(ended).ToDictionary(g => g.Id, StringComparer.Ordinal), cancellationToken);
        return drift;
    }

    /// <summary>
    /// Service-token events in PlanetScale's audit log, within the look-back, on tokens the bot holds grants for, made by
    /// anyone but the bot's own service token. Skipped when the bot's token id is unknown (an OAuth credential cannot be
    /// told apart from its user) or the log cannot be read (no <c>read_audit_logs</c>): drift by permissions still runs.
    /// </summary>
    private async Task<IReadOnlyList<DriftItem>> OutsideChangesAsync(List<AccessGrant> grants, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var botToken = planetScaleOptions?.Value.ServiceTokenId;
        if (string.IsNullOrWhiteSpace(botToken) || grants.Count == 0)
        {
            return [];
        }

        var since = now - options.Value.ReconcileLookback;
        var found = new List<DriftItem>();
        foreach (var organization in grants.GroupBy(g => g.Target.Organization, StringComparer.Ordinal))
        {
            IReadOnlyList<PlanetScaleAuditEvent> events;
            try
            {
                events = await planetScale.ListServiceTokenEventsAsync(organization.Key, OutsideEventsPerPass, cancellationToken);
            }
            catch (Exception ex) when (ex is PlanetScaleApiException or NotSupportedException)
            {
                LogAuditLogUnavailable(organization.Key, ex.Message);
                continue;
            }

            foreach (var e in events.Where(e => e.Time >= since && !(e.ActorType == "ServiceToken" && e.ActorId == botToken)))
            {
                // The newest grant on the token names the change, so its approvers hear of it.
                var grant = organization.Where(g => string.Equals(g.Target.TokenId, e.TokenId, StringComparison.Ordinal)).MaxBy(g => g.GrantedAt);
                if (grant is not null)
                {
                    var actor = $"{e.ActorType ?? "someone"} {e.ActorName ?? e.ActorId}".Trim();
                    var details = e.Details.Count == 0 ? "" : " " + string.Join(' ', e.Details);
                    found.Add(new DriftItem(DriftKind.Outside, grant.Id, grant.Target, $"{e.Action}{details} by {actor} at {e.Time:yyyy-MM-dd HH:mm:ss}Z (event {e.Id})"));
                }
            }
        }

        return found;
    }

    private async Task ReportNewAsync(List<DriftItem> drift, Dictionary<string, AccessGrant> grants, CancellationToken cancellationToken)
    {
        var fresh = reported.TakeNew(drift);

        foreach (var item in fresh)
        {
            var grant = grants[item.GrantId];
            await audit.RecordAsync(AccessTransitions.Drift, AccessActors.System, grant.Requester.Platform, grant.Requester.PlaceId,
                item.Describe(), item.Kind.ToString().ToLowerInvariant(), "drift", cancellationToken);
        }

        foreach (var group in fresh.GroupBy(d => AccessText.Approvers(grants[d.GrantId].Requirement, grants[d.GrantId].Requester)))
        {
            var items = group.ToList();
            await notify.SendAsync(
                new AccessAlert(group.Key,
                    "Access drift: the tokens' real permissions differ from the bot's grants:\n" + string.Join("\n", items.Select(i => "• " + i.Describe())),
                    AccessAlertKind.Drift,
                    [.. items.SelectMany(i => grants[i.GrantId].Requirement?.Approvers ?? []).Distinct(StringComparer.Ordinal)],
                    items.Count == 1 ? items[0].GrantId : null),
                cancellationToken);
        }
    }

    private static string Key(AccessTarget target, string permission) =>
        target.Database is null ? Key(ResourceKind.Organization, target.Organization, permission) : Key(ResourceKind.Database, target.Database, permission);

    private static string Key(ResourceKind kind, string resource, string permission) =>
        kind == ResourceKind.Organization ? $"org//{permission}" : $"db/{resource}/{permission}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the permissions of token {TokenId} to reconcile: {Message}")]
    private partial void LogUnavailable(string tokenId, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not read PlanetScale's audit log of {Organization} for changes made outside the bot: {Message}")]
    private partial void LogAuditLogUnavailable(string organization, string message);
}

/// <summary>
/// The drift already reported by this process, so each difference is reported once when it appears, and
/// again only if it goes away and comes back.
/// </summary>
public sealed class ReportedDrift
{
    private readonly Lock gate = new();
    private HashSet<string> reported = new(StringComparer.Ordinal);

    /// <summary>Remembers <paramref name="current"/> as the drift now, and returns the items not reported last time.</summary>
    public IReadOnlyList<DriftItem> TakeNew(IReadOnlyList<DriftItem> current)
    {
        lock (gate)
        {
            List<DriftItem> fresh = [.. current.Where(d => !reported.Contains(d.Describe()))];
            reported = current.Select(d => d.Describe()).ToHashSet(StringComparer.Ordinal);
            return fresh;
        }
    }
}
