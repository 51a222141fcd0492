using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace PscaleBot.Commands.Tests.PlanetScale;

/// <summary>One request as the fake server saw it.</summary>
internal sealed record RecordedRequest(
    HttpMethod Method, Uri Uri, string? Authorization, string? Accept, string? UserAgent, string? ContentType, string? Body);

/// <summary>A fake PlanetScale: answers requests from a script, in order, and records what it received.</summary>
internal sealed class ScriptedPlanetScaleHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> script = new();
    private readonly List<RecordedRequest> requests = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    public ScriptedPlanetScaleHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> responder)
    {
        script.Enqueue(responder);
        return this;
    }

    public ScriptedPlanetScaleHandler Then(Func<HttpResponseMessage> response) => Then((_, _) => Task.FromResult(response()));

    public ScriptedPlanetScaleHandler ThenFixture(string name, HttpStatusCode status = HttpStatusCode.OK) =>
        Then(() => Json(status, Fixture(name)));

    public ScriptedPlanetScaleHandler ThenJson(HttpStatusCode status, string json, Action<HttpResponseMessage>? configure = null) =>
        Then(() =>
        {
            var response = Json(status, json);
            configure?.Invoke(response);
            return response;
        });

    public ScriptedPlanetScaleHandler ThenStatus(HttpStatusCode status, Action<HttpResponseMessage>? configure = null) =>
        Then(() =>
        {
            var response = new HttpResponseMessage(status);
            configure?.Invoke(response);
            return response;
        });

    /// <summary>Never answers; ends only when the client gives up (cancels).</summary>
    public ScriptedPlanetScaleHandler ThenHang() =>
        Then(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "PlanetScale", name));

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (requests)
        {
            requests.Add(new RecordedRequest(
                request.Method,
                request.RequestUri!,
                request.Headers.TryGetValues("Authorization", out var auth) ? string.Join(",", auth) : null,
                request.Headers.TryGetValues("Accept", out var accept) ? string.Join(",", accept) : null,
                request.Headers.TryGetValues("User-Agent", out var agent) ? string.Join(" ", agent) : null,
                request.Content?.Headers.ContentType?.MediaType,
                body));
        }

        if (!script.TryDequeue(out var responder))
        {
            throw new InvalidOperationException($"The fake PlanetScale got an unscripted request: {request.Method} {request.RequestUri}");
        }

        var response = await responder(request, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }
}
