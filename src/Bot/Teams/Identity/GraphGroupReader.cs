using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Teams.Identity;

/// <summary>
/// Reads a user's groups, nested ones included, with
/// <c>GET /users/{id}/transitiveMemberOf/microsoft.graph.group?$select=id</c>, following <c>@odata.nextLink</c>.
/// </summary>
internal sealed class GraphGroupReader(GraphTokenSource tokens, IOptions<EntraGroupOptions> options, IHttpClientFactory http)
{
    /// <summary>A user in more groups than this many pages hold is read no further (the groups read so far apply).</summary>
    internal const int MaxPages = 20;

    /// <summary>The object ids (lower case) of every group the user is a member of, directly or through other groups.</summary>
    /// <exception cref="EntraGraphException">Graph or Entra failed; the message says how, without secrets.</exception>
    public async Task<IReadOnlyList<string>> TransitiveGroupsAsync(string userObjectId, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken);
        using var client = http.CreateClient(EntraGroupExtensions.HttpClientName);
        var url = $"{options.Value.GraphBaseUrl.TrimEnd('/')}/users/{Uri.EscapeDataString(userObjectId)}/transitiveMemberOf/microsoft.graph.group?$select=id&$top=999";
        var groups = new List<string>();
        for (var page = 0; page < MaxPages && url is not null; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await SendAsync(client, request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new EntraGraphException($"Graph answered HTTP {(int)response.StatusCode} to transitiveMemberOf");
            }

            GraphGroupPage? body;
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                body = await JsonSerializer.DeserializeAsync(stream, EntraJsonContext.Default.GraphGroupPage, cancellationToken);
            }
            catch (JsonException)
            {
                throw new EntraGraphException("Graph answered transitiveMemberOf with a body that is not a group list");
            }

            groups.AddRange((body?.Value ?? []).Select(g => g.Id).OfType<string>().Select(id => id.Trim().ToLowerInvariant()));
            url = body?.NextLink;
        }

        return [.. groups.Distinct(StringComparer.Ordinal)];
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new EntraGraphException($"Graph could not be reached ({ex.HttpRequestError})");
        }
    }
}

/// <summary>One page of <c>transitiveMemberOf</c>.</summary>
/// <param name="Value">The groups on this page.</param>
/// <param name="NextLink">The next page, when there is one.</param>
internal sealed record GraphGroupPage(
    [property: JsonPropertyName("value")] IReadOnlyList<GraphDirectoryObject>? Value,
    [property: JsonPropertyName("@odata.nextLink")] string? NextLink);

/// <summary>A directory object; only its id is read.</summary>
/// <param name="Id">The object id.</param>
internal sealed record GraphDirectoryObject([property: JsonPropertyName("id")] string? Id);

/// <summary>Graph's JSON, generated at build time.</summary>
[JsonSerializable(typeof(GraphGroupPage))]
internal sealed partial class EntraJsonContext : JsonSerializerContext;
