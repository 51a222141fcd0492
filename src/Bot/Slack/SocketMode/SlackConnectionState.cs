using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Slack.SocketMode;

/// <summary>Where the Socket Mode connection stands.</summary>
public enum SlackConnectionStatus
{
    /// <summary>Socket Mode is not in use (Slack disabled or HTTP mode).</summary>
    NotInUse,
    /// <summary>Opening the first connection.</summary>
    Connecting,
    /// <summary>Connected and greeted by Slack.</summary>
    Connected,
    /// <summary>Lost the connection; opening another.</summary>
    Reconnecting,
    /// <summary>Gave up on an unrecoverable error (bad token, Socket Mode turned off).</summary>
    Stopped,
}

/// <summary>The Socket Mode connection state, shared by the connection loop and the readiness check.</summary>
public sealed class SlackConnectionState(TimeProvider time)
{
    private readonly Lock gate = new();
    private (SlackConnectionStatus Status, string Detail, DateTimeOffset Since) current = (SlackConnectionStatus.NotInUse, "Socket Mode not started", DateTimeOffset.MinValue);

    /// <summary>The status now.</summary>
    public SlackConnectionStatus Status
    {
        get
        {
            lock (gate)
            {
                return current.Status;
            }
        }
    }

    /// <summary>The status, why, and since when.</summary>
    public (SlackConnectionStatus Status, string Detail, DateTimeOffset Since) Snapshot
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    /// <summary>Records a new status.</summary>
    public void Set(SlackConnectionStatus status, string detail)
    {
        lock (gate)
        {
            current = (status, detail, time.GetUtcNow());
        }
    }
}

/// <summary>Readiness of the Socket Mode connection: ready when connected (or when Socket Mode is not used).</summary>
public sealed class SlackSocketModeHealthCheck(SlackConnectionState state, IOptions<SlackOptions> options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled || options.Value.Mode != SlackMode.SocketMode)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Slack Socket Mode not in use"));
        }

        var (status, detail, since) = state.Snapshot;
        var data = new Dictionary<string, object> { ["status"] = status.ToString(), ["since"] = since };
        return Task.FromResult(status switch
        {
            SlackConnectionStatus.Connected => HealthCheckResult.Healthy($"Slack Socket Mode connected: {detail}", data),
            SlackConnectionStatus.Reconnecting => HealthCheckResult.Degraded($"Slack Socket Mode reconnecting: {detail}", data: data),
            _ => HealthCheckResult.Unhealthy($"Slack Socket Mode {status}: {detail}", data: data),
        });
    }
}
