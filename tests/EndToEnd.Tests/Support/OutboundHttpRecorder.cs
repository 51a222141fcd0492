using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace PscaleBot.EndToEnd.Tests.Support;

/// <summary>
/// Records every request the bot sends through IHttpClientFactory (PlanetScale, Bot Connector, OpenID
/// metadata), so a test can prove that a refused request reached nothing downstream.
/// </summary>
public sealed class OutboundHttpRecorder
{
    private readonly ConcurrentQueue<(HttpMethod Method, Uri Uri)> requests = new();

    /// <summary>Every outbound request so far, in order.</summary>
    public IReadOnlyList<(HttpMethod Method, Uri Uri)> Requests => [.. requests];

    /// <summary>The requests sent to <paramref name="baseAddress"/>'s host and port.</summary>
    public IReadOnlyList<(HttpMethod Method, Uri Uri)> To(Uri baseAddress) =>
        [.. requests.Where(r => r.Uri.Port == baseAddress.Port && string.Equals(r.Uri.Host, baseAddress.Host, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Forgets what was recorded so far (what the bot sent while starting).</summary>
    public void Clear() => requests.Clear();

    /// <summary>Adds the recording handler to every HttpClient the bot creates.</summary>
    public void Install(IServiceCollection services) =>
        services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new RecordingHandler(this)));

    private sealed class RecordingHandler(OutboundHttpRecorder recorder) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            recorder.requests.Enqueue((request.Method, request.RequestUri!));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
