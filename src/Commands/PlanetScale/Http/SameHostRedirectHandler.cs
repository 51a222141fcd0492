using System.Net;

namespace PscaleBot.Commands.PlanetScale.Http;

/// <summary>
/// Follows redirects itself (the primary handler's auto-redirect is off) and only within the same scheme, host
/// and port, as the Go SDK does, so the <c>Authorization</c> header never reaches another host.
/// A redirect elsewhere ends the call with <see cref="CrossHostRedirectException"/>.
/// </summary>
public sealed class SameHostRedirectHandler : DelegatingHandler
{
    private const int MaxRedirects = 5;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var original = request.RequestUri!;
        for (var hop = 0; ; hop++)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }

            var target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            var status = (int)response.StatusCode;
            response.Dispose();
            if (!SameOrigin(original, target))
            {
                throw new CrossHostRedirectException(target.Host, status);
            }

            if (hop >= MaxRedirects)
            {
                throw new HttpRequestException(HttpRequestError.Unknown, $"PlanetScale redirected more than {MaxRedirects} times.");
            }

            request.RequestUri = target;
            // 303 and (for historical reasons) 301/302 after a POST turn into a GET without a body, as browsers do.
            if (status == 303 || ((status is 301 or 302) && request.Method == HttpMethod.Post))
            {
                request.Method = HttpMethod.Get;
                request.Content = null;
            }
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}

/// <summary>PlanetScale (or something in between) redirected to another host; the client refused to follow.</summary>
/// <param name="targetHost">The host it pointed at.</param>
/// <param name="statusCode">The redirect status.</param>
public sealed class CrossHostRedirectException(string targetHost, int statusCode)
    : Exception($"Refused to follow a redirect ({statusCode}) to another host ({targetHost}).")
{
    /// <summary>The host the redirect pointed at.</summary>
    public string TargetHost { get; } = targetHost;

    /// <summary>The redirect status.</summary>
    public int StatusCode { get; } = statusCode;
}
