using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Slack.Identity;

/// <summary>The answer for one request's workspace.</summary>
/// <param name="Allowed">True when the bot serves the workspace.</param>
/// <param name="Served">What the bot serves, for the refusal (<c>T0ACME</c>, <c>T0A, E0GRID</c>), or null when unknown.</param>
/// <param name="Why">Why it is refused, for the log and the audit.</param>
public sealed record SlackWorkspaceCheck(bool Allowed, string? Served, string? Why);

/// <summary>
/// Which Slack workspaces the bot serves: <c>Slack:AllowedTeamIds</c> and <c>Slack:AllowedEnterpriseIds</c>, or when
/// neither is set the workspace the bot token belongs to (<c>auth.test</c>, asked once and remembered). A Slack Connect
/// channel or a second installation puts people from other organizations in front of the bot; they are refused.
/// While the served workspace cannot be found out, every workspace is refused (fail closed) and retried a minute later.
/// </summary>
public sealed partial class SlackWorkspaceAllowList(
    SlackApiClient api,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackWorkspaceAllowList> logger) : ITenantAllowList
{
    private static readonly TimeSpan RetryDiscoveryAfter = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _discovery = new(1, 1);

    // Workspaces admitted because they belong to an allowed Grid organization: the policy only sees the workspace.
    private readonly ConcurrentDictionary<string, byte> _admittedByEnterprise = new(StringComparer.Ordinal);

    // The settings do not change while the bot runs (IOptions), and this is asked on every request.
    private readonly Lazy<Served?> _configured = new(() => Configured(options.Value));
    private Served? _discovered;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private bool _failureLogged;

    /// <summary>Decides whether a request from <paramref name="teamId"/> (in <paramref name="enterpriseId"/>, on Grid) may run.</summary>
    public async Task<SlackWorkspaceCheck> CheckAsync(string? teamId, string? enterpriseId, CancellationToken cancellationToken)
    {
        var served = _configured.Value ?? await DiscoverAsync(cancellationToken);
        if (served is null)
        {
            return new(false, null, "the served workspace is unknown: Slack:AllowedTeamIds is not set and auth.test failed");
        }

        if (teamId is not null && served.Teams.Contains(teamId))
        {
            return new(true, served.Label, null);
        }

        if (enterpriseId is not null && served.Enterprises.Contains(enterpriseId))
        {
            if (teamId is not null)
            {
                _admittedByEnterprise.TryAdd(teamId, 0);
            }

            return new(true, served.Label, null);
        }

        var from = enterpriseId is null ? $"workspace {teamId ?? "(none)"}" : $"workspace {teamId ?? "(none)"} of organization {enterpriseId}";
        return new(false, served.Label, $"{from} is not in Slack:AllowedTeamIds or Slack:AllowedEnterpriseIds");
    }

    /// <summary>
    /// The workspaces (T…) known to be served: the configured ones, or the bot token's (asking <c>auth.test</c> once),
    /// and those admitted through their Grid organization so far. Empty while that cannot be found out.
    /// </summary>
    public async Task<IReadOnlyCollection<string>> ServedTeamsAsync(CancellationToken cancellationToken)
    {
        var served = _configured.Value ?? await DiscoverAsync(cancellationToken);
        return served is null ? [] : [.. served.Teams.Concat(_admittedByEnterprise.Keys).Distinct(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    /// <remarks>Synchronous, for the policy: what is not known yet is refused.</remarks>
    public bool Allows(ChatIdentity caller)
    {
        if (caller.Platform != ChatPlatform.Slack)
        {
            return true;
        }

        const string prefix = "slack:team:";
        if (caller.TenantId is not { } tenant || !tenant.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var teamId = tenant[prefix.Length..];
        var served = _configured.Value ?? Volatile.Read(ref _discovered);
        return served is not null && (served.Teams.Contains(teamId) || _admittedByEnterprise.ContainsKey(teamId));
    }

    private static Served? Configured(SlackOptions settings)
    {
        var teams = Clean(settings.AllowedTeamIds);
        var enterprises = Clean(settings.AllowedEnterpriseIds);
        return teams.Count == 0 && enterprises.Count == 0 ? null : new Served(teams, enterprises);
    }

    private async Task<Served?> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _discovered) is { } known)
        {
            return known;
        }

        if (string.IsNullOrWhiteSpace(options.Value.BotToken))
        {
            LogUnknownOnce("Slack:BotToken is not set");
            return null;
        }

        if (time.GetUtcNow() < _retryAt)
        {
            // auth.test failed a moment ago: refuse without asking Slack on every request.
            return null;
        }

        await _discovery.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _discovered) is { } raced)
            {
                return raced;
            }

            if (time.GetUtcNow() < _retryAt)
            {
                return null;
            }

            var answer = await api.AuthTestAsync(cancellationToken);
            var served = answer.IsEnterpriseInstall && !string.IsNullOrWhiteSpace(answer.EnterpriseId)
                ? new Served(new HashSet<string>(StringComparer.Ordinal), new HashSet<string>([answer.EnterpriseId.Trim()], StringComparer.Ordinal))
                : !string.IsNullOrWhiteSpace(answer.TeamId)
                    ? new Served(new HashSet<string>([answer.TeamId.Trim()], StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal))
                    : throw new SlackApiException("auth.test", "malformed_response");
            Volatile.Write(ref _discovered, served);
            LogDiscovered(served.Label);
            return served;
        }
        catch (SlackApiException ex)
        {
            _retryAt = time.GetUtcNow() + RetryDiscoveryAfter;
            LogUnknownOnce($"auth.test failed ({ex.Error})");
            return null;
        }
        finally
        {
            _discovery.Release();
        }
    }

    private void LogUnknownOnce(string cause)
    {
        if (!_failureLogged)
        {
            _failureLogged = true;
            LogUnknown(cause);
        }
    }

    private static HashSet<string> Clean(IEnumerable<string> ids) =>
        new(ids.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()), StringComparer.Ordinal);

    private sealed record Served(HashSet<string> Teams, HashSet<string> Enterprises)
    {
        public string Label { get; } = string.Join(", ", Teams.Concat(Enterprises).Order(StringComparer.Ordinal));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: serving workspace {Served} only (the bot token's, from auth.test; set Slack:AllowedTeamIds to change it)")]
    private partial void LogDiscovered(string served);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: every request is refused because the bot cannot tell which workspace it serves: Slack:AllowedTeamIds and Slack:AllowedEnterpriseIds are not set and {Cause}. Set Slack:AllowedTeamIds to your workspace id (T…).")]
    private partial void LogUnknown(string cause);
}
