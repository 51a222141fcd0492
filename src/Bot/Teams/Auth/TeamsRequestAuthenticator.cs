using System.Net;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Teams.Protocol;

namespace PscaleBot.Bot.Teams.Auth;

/// <summary>
/// Decides whether an inbound Bot Framework request may run at all: a valid channel token (or the
/// loopback-only Playground mode), then an allowed tenant. Deny by default.
/// </summary>
internal sealed partial class TeamsRequestAuthenticator(
    BotFrameworkTokenValidator validator,
    IOptionsMonitor<TeamsOptions> options,
    ILogger<TeamsRequestAuthenticator> logger)
{
    public async Task<bool> AuthenticateAsync(HttpContext context, Activity activity, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        string? authorization = context.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(authorization) && settings.DevelopmentModeActive && IsLoopback(context.Connection.RemoteIpAddress))
        {
            LogDevelopmentRequest();
        }
        else
        {
            var check = await validator.ValidateAsync(authorization, activity, cancellationToken);
            if (!check.IsValid)
            {
                LogRejected(check.Reason);
                return false;
            }
        }

        var tenant = activity.TenantId;
        if (tenant is null || !settings.EffectiveAllowedTenants.Contains(tenant))
        {
            LogTenantRefused(tenant ?? "(none)");
            return false;
        }

        return true;
    }

    internal static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams request rejected: {Reason}")]
    private partial void LogRejected(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams request from tenant {Tenant} refused: not in Teams:AllowedTenants")]
    private partial void LogTenantRefused(string tenant);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unauthenticated loopback Teams request accepted (development mode)")]
    private partial void LogDevelopmentRequest();
}
