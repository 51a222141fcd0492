using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace PscaleBot.Commands.PlanetScale.Http;

/// <summary>
/// Adds the bot's PlanetScale credentials: a service token as <c>Authorization: &lt;id&gt;:&lt;token&gt;</c> (no scheme),
/// or else an OAuth access token as <c>Bearer</c>. Only to requests for the configured API host, so nothing
/// sent elsewhere (e.g. after a redirect) can carry them. It never logs.
/// </summary>
public sealed class PlanetScaleAuthenticationHandler(IOptionsMonitor<PlanetScaleOptions> options) : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = options.CurrentValue;
        request.Headers.Authorization = null;
        request.Headers.Remove("Authorization");
        if (request.RequestUri is { } uri && IsApiHost(uri, current.BaseUrl))
        {
            if (!string.IsNullOrWhiteSpace(current.ServiceTokenId) && !string.IsNullOrWhiteSpace(current.ServiceToken))
            {
                // PlanetScale's service-token scheme has no scheme word, which AuthenticationHeaderValue cannot express.
                request.Headers.TryAddWithoutValidation("Authorization", current.ServiceTokenId + ":" + current.ServiceToken);
            }
            else if (!string.IsNullOrWhiteSpace(current.AccessToken))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.AccessToken);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static bool IsApiHost(Uri uri, Uri baseUrl) =>
        uri.IsAbsoluteUri
        && string.Equals(uri.Scheme, baseUrl.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, baseUrl.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == baseUrl.Port;
}
