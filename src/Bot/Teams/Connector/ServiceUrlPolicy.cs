using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Teams.Connector;

/// <summary>
/// Decides where the bot may send its connector token. The token's <c>serviceurl</c> claim already binds
/// the activity, but a second gate means a forged or mis-signed activity still cannot make the bot send a
/// bearer token to an arbitrary host: https and a known Bot Connector host, or loopback when explicitly allowed.
/// </summary>
internal sealed class ServiceUrlPolicy(IOptionsMonitor<TeamsOptions> options)
{
    public bool IsAllowed(string? serviceUrl, out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var parsed) || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return false;
        }

        var settings = options.CurrentValue;
        if (TeamsOptionsValidator.IsLoopback(parsed))
        {
            if ((settings.AllowLoopbackServiceUrls || settings.DevelopmentModeActive)
                && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
            {
                uri = parsed;
                return true;
            }

            return false;
        }

        if (parsed.Scheme != Uri.UriSchemeHttps || !HostAllowed(parsed.IdnHost, settings.EffectiveServiceUrlHosts))
        {
            return false;
        }

        uri = parsed;
        return true;
    }

    /// <summary>Whether a bearer token goes with requests to this URL: never without an app id (Playground mode).</summary>
    public bool SendsToken(Uri serviceUrl) => !string.IsNullOrWhiteSpace(options.CurrentValue.AppId);

    internal static bool HostAllowed(string host, IEnumerable<string> patterns) =>
        patterns.Any(pattern => pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase));
}
