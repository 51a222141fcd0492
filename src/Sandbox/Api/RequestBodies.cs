using System.Text.Json;
using PscaleBot.Sandbox.Access;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Api;

/// <summary>A validated create body.</summary>
/// <param name="Name">The name, or null.</param>
/// <param name="Ttl">The lifetime, or null for none.</param>
internal sealed record CreateTokenBody(string? Name, TimeSpan? Ttl);

/// <summary>A validated access body; <see cref="Database"/> null means organization-level.</summary>
/// <param name="Database">The database name, or null.</param>
/// <param name="Accesses">Distinct permission names, in request order.</param>
internal sealed record AccessBody(string? Database, IReadOnlyList<string> Accesses);

/// <summary>Reads and checks request bodies; every rejection names what was wrong and what to send.</summary>
internal static class RequestBodies
{
    private const int MaxNameLength = 255;

    /// <summary>Reads <c>{name?, ttl?}</c>; an empty body means <c>{}</c>.</summary>
    public static async Task<(CreateTokenBody? Body, IResult? Error)> ReadCreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (root, error) = await ReadObjectAsync(request, """{"name":"my-token","ttl":3600}""", cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        string? name = null;
        if (root!.Value.TryGetProperty("name", out var nameElement) && nameElement.ValueKind != JsonValueKind.Null)
        {
            if (nameElement.ValueKind != JsonValueKind.String)
            {
                return (null, ApiError.BadRequest("name must be a string."));
            }

            name = nameElement.GetString()!.Trim();
            if (name.Length == 0)
            {
                name = null;
            }
            else if (name.Length > MaxNameLength)
            {
                return (null, ApiError.Unprocessable($"name must be at most {MaxNameLength} characters (was {name.Length})."));
            }
        }

        TimeSpan? ttl = null;
        if (root.Value.TryGetProperty("ttl", out var ttlElement) && ttlElement.ValueKind != JsonValueKind.Null)
        {
            if (ttlElement.ValueKind != JsonValueKind.Number || !ttlElement.TryGetInt64(out var seconds))
            {
                return (null, ApiError.BadRequest("ttl must be a whole number of seconds."));
            }

            if (seconds <= 0 || seconds > TimeSpan.FromDays(3650).TotalSeconds)
            {
                return (null, ApiError.Unprocessable($"ttl must be between 1 second and 10 years (was {seconds})."));
            }

            ttl = TimeSpan.FromSeconds(seconds);
        }

        return (new CreateTokenBody(name, ttl), null);
    }

    /// <summary>
    /// Reads <c>{database, access:[...]}</c> as the CLI sends it (<c>"database":""</c> for organization-level) and
    /// checks the names and their scope. The database's existence is checked by the caller, under the state lock.
    /// </summary>
    public static async Task<(AccessBody? Body, IResult? Error)> ReadAccessAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (root, error) = await ReadObjectAsync(request, """{"database":"prod","access":["read_branch"]}""", cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        string? database = null;
        if (root!.Value.TryGetProperty("database", out var dbElement) && dbElement.ValueKind != JsonValueKind.Null)
        {
            if (dbElement.ValueKind != JsonValueKind.String)
            {
                return (null, ApiError.BadRequest("database must be a string (\"\" for organization-level access)."));
            }

            database = dbElement.GetString()!.Trim();
            if (database.Length == 0)
            {
                database = null;
            }
        }

        if (!root.Value.TryGetProperty("access", out var accessElement) || accessElement.ValueKind != JsonValueKind.Array
            || accessElement.GetArrayLength() == 0)
        {
            return (null, ApiError.Unprocessable("access must be a non-empty list of permission names, e.g. {\"database\":\"prod\",\"access\":[\"read_branch\"]}."));
        }

        var accesses = new List<string>();
        foreach (var item in accessElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                return (null, ApiError.Unprocessable("access must hold permission names as strings, e.g. [\"read_branch\"]."));
            }

            var access = item.GetString()!.Trim();
            if (!accesses.Contains(access, StringComparer.Ordinal))
            {
                accesses.Add(access);
            }
        }

        var unknown = accesses.Where(a => AccessCatalog.ScopeOf(a) is null).ToList();
        if (unknown.Count > 0)
        {
            return (null, ApiError.Unprocessable(
                $"Invalid access {(unknown.Count == 1 ? "name" : "names")}: {string.Join(", ", unknown)}. See the service token access list in the API documentation."));
        }

        var scope = database is null ? ResourceType.Organization : ResourceType.Database;
        var misplaced = accesses.Where(a => AccessCatalog.ScopeOf(a) != scope).ToList();
        if (misplaced.Count > 0)
        {
            return (null, ApiError.Unprocessable(scope == ResourceType.Organization
                ? $"{string.Join(", ", misplaced)} {(misplaced.Count == 1 ? "is a database access" : "are database accesses")}: send a database with {(misplaced.Count == 1 ? "it" : "them")}."
                : $"{string.Join(", ", misplaced)} {(misplaced.Count == 1 ? "is an organization access" : "are organization accesses")}: send {(misplaced.Count == 1 ? "it" : "them")} without a database."));
        }

        return (new AccessBody(database, accesses), null);
    }

    private static async Task<(JsonElement? Root, IResult? Error)> ReadObjectAsync(HttpRequest request, string example, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (JsonDocument.Parse("{}").RootElement.Clone(), null);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, ApiError.BadRequest($"The request body must be a JSON object, e.g. {example}."));
            }

            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (null, ApiError.BadRequest($"The request body is not valid JSON; send a JSON object, e.g. {example}."));
        }
    }
}
