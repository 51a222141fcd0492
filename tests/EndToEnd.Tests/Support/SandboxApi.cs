using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PscaleBot.Sandbox;

namespace PscaleBot.EndToEnd.Tests.Support;

/// <summary>One resource's permissions as the sandbox holds them.</summary>
public sealed record SandboxGrant(string ResourceName, string ResourceType, IReadOnlySet<string> Accesses);

/// <summary>
/// Reads (and seeds) the sandbox's state over its real HTTP API as an admin (Bearer access token), independent of
/// the bot, so tests compare what the bot showed with what PlanetScale's stand-in really holds.
/// </summary>
public sealed class SandboxApi(SandboxServer sandbox) : IDisposable
{
    private readonly HttpClient http = Create(sandbox);

    /// <summary>The token's grants, one per resource (<c>GET …/service-tokens/{id}/grants</c>).</summary>
    public async Task<IReadOnlyList<SandboxGrant>> GrantsAsync(string tokenId, string organization = "acme")
    {
        var json = await GetAsync($"organizations/{organization}/service-tokens/{tokenId}/grants");
        return [.. Items(json).Select(g => new SandboxGrant(
            (string)g["resource_name"]!,
            (string)g["resource_type"]!,
            new HashSet<string>(((JsonArray)g["accesses"]!).Select(a => (string)a!["access"]!), StringComparer.Ordinal)))];
    }

    /// <summary>The same grants as resource name → permissions, for comparing with a rendered table.</summary>
    public async Task<Dictionary<string, SortedSet<string>>> GrantsByResourceAsync(string tokenId, string organization = "acme") =>
        (await GrantsAsync(tokenId, organization)).ToDictionary(
            g => g.ResourceName, g => new SortedSet<string>(g.Accesses, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Every service token id of the organization, following every page, in order.</summary>
    public async Task<SortedSet<string>> TokenIdsAsync(string organization = "acme")
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var json = await GetAsync($"organizations/{organization}/service-tokens?page={page}&per_page=100");
            ids.UnionWith(Items(json).Select(t => (string)t["id"]!));
            if (json["next_page"] is null)
            {
                return ids;
            }
        }
    }

    /// <summary>Whether the token exists.</summary>
    public async Task<bool> TokenExistsAsync(string tokenId, string organization = "acme")
    {
        using var response = await http.GetAsync($"organizations/{organization}/service-tokens/{tokenId}");
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            var other => throw new InvalidOperationException($"sandbox answered {other}"),
        };
    }

    /// <summary>Creates a token directly in the sandbox (not through the bot); returns its id.</summary>
    public async Task<string> CreateTokenAsync(string name, string organization = "acme")
    {
        using var response = await http.PostAsync($"organizations/{organization}/service-tokens", new StringContent($$"""{"name":"{{name}}"}""", System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private async Task<JsonNode> GetAsync(string path)
    {
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static IEnumerable<JsonObject> Items(JsonNode json) =>
        (json is JsonObject list && list["data"] is JsonArray data ? data : (JsonArray)json).OfType<JsonObject>();

    private static HttpClient Create(SandboxServer sandbox)
    {
        var baseUrl = sandbox.BaseAddress.ToString();
        var client = new HttpClient { BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.AccessToken);
        return client;
    }
}
