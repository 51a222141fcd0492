using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PscaleBot.Sandbox.Tests;

/// <summary>A started sandbox plus an HttpClient authenticated as the bot.</summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    private RunningSandbox(SandboxServer server)
    {
        Server = server;
        Client = NewClient($"{server.ServiceTokenId}:{server.ServiceToken}");
    }

    public SandboxServer Server { get; }

    public HttpClient Client { get; }

    public static async Task<RunningSandbox> StartAsync(SandboxOptions? options = null, TimeProvider? time = null)
    {
        var server = await SandboxServer.StartAsync(options ?? new SandboxOptions(), time ?? TimeProvider.System, CancellationToken.None);
        return new RunningSandbox(server);
    }

    /// <summary>A client sending this Authorization header verbatim (null: none).</summary>
    public HttpClient NewClient(string? authorization)
    {
        var client = new HttpClient { BaseAddress = new Uri(Server.BaseAddress + "/") };
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Sends and parses, asserting the status.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string? body, System.Net.HttpStatusCode expected, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = Json(body);
        }

        using var response = await (client ?? Client).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public Task<JsonElement> GetAsync(string path, HttpClient? client = null) => SendAsync(HttpMethod.Get, path, null, System.Net.HttpStatusCode.OK, client);

    /// <summary>Creates a token in acme as the bot and returns (id, secret).</summary>
    public async Task<(string Id, string Secret)> CreateTokenAsync(string body = "{}")
    {
        var created = await SendAsync(HttpMethod.Post, "organizations/acme/service-tokens", body, System.Net.HttpStatusCode.OK);
        return (created.GetProperty("id").GetString()!, created.GetProperty("token").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
