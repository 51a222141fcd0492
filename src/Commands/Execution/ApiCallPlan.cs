using System.Text.Json;
using System.Text.Json.Serialization;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Execution;

/// <summary>The PlanetScale HTTP call a mutating command makes, as <c>--dry-run</c> shows it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path including the API root's path (<c>/v1/organizations/…</c>).</param>
/// <param name="Body">The compact JSON body exactly as the client sends it, or null.</param>
public sealed record ApiCallPlan(string Method, string Path, string? Body)
{
    private static readonly JsonSerializerOptions BodyJson = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The call <paramref name="command"/> makes against <paramref name="organization"/>, or null when it
    /// makes no PlanetScale change (reads, bot commands). Bodies follow the Go SDK: create omits unset
    /// fields; access bodies always carry <c>database</c>, empty for organization-level grants.
    /// </summary>
    public static ApiCallPlan? For(BotCommand command, string organization, Uri apiRoot)
    {
        var tokens = $"{apiRoot.AbsolutePath.TrimEnd('/')}/organizations/{Uri.EscapeDataString(organization)}/service-tokens";
        return command switch
        {
            CreateTokenCommand c => new("POST", tokens, Serialize(new CreateBody(c.Name, c.Ttl is { } ttl ? (long)ttl.TotalSeconds : null))),
            DeleteTokenCommand d => new("DELETE", $"{tokens}/{Uri.EscapeDataString(d.TokenId)}", null),
            AddAccessCommand a => new("POST", $"{tokens}/{Uri.EscapeDataString(a.TokenId)}/access", Serialize(new AccessBody(a.Database ?? "", a.Permissions))),
            DeleteAccessCommand d => new("DELETE", $"{tokens}/{Uri.EscapeDataString(d.TokenId)}/access", Serialize(new AccessBody(d.Database ?? "", d.Permissions))),
            _ => null,
        };
    }

    private static string Serialize<T>(T body) => JsonSerializer.Serialize(body, BodyJson);

    private sealed record CreateBody(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("ttl")] long? Ttl);

    private sealed record AccessBody(
        [property: JsonPropertyName("database")] string Database,
        [property: JsonPropertyName("access")] IReadOnlyList<string> Access);
}
