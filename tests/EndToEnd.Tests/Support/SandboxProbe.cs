using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PscaleBot.Sandbox;

namespace PscaleBot.EndToEnd.Tests.Support;

/// <summary>Reads the sandbox's state over its own HTTP API (as an admin), independently of the bot.</summary>
public sealed class SandboxProbe(SandboxServer sandbox) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(sandbox.BaseAddress.ToString().TrimEnd('/') + "/") };

    /// <summary>The token's grants: resource name → permissions.</summary>
    public async Task<Dictionary<string, SortedSet<string>>> GrantsAsync(string tokenId, string organization = "acme")
    {
        var root = await GetAsync($"organizations/{organization}/service-tokens/{tokenId}/grants");
        var items = root is JsonObject o && o["data"] is JsonArray data ? data : root!.AsArray();
        return items.ToDictionary(
            g => g!["resource_name"]!.GetValue<string>(),
            g => new SortedSet<string>(g!["accesses"]!.AsArray().Select(a => a!["access"]!.GetValue<string>()), StringComparer.Ordinal));
    }

    /// <summary>The ids of every service token of the organization.</summary>
    public async Task<SortedSet<string>> TokenIdsAsync(string organization = "acme")
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var root = (await GetAsync($"organizations/{organization}/service-tokens?page={page}&per_page=100"))!;
            foreach (var token in root["data"]!.AsArray())
            {
                ids.Add(token!["id"]!.GetValue<string>());
            }

            if (root["next_page"] is null)
            {
                return ids;
            }
        }
    }

    private async Task<JsonNode?> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.AccessToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();
}
