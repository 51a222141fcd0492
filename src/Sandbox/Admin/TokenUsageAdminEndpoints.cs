using System.Text.Json;
using PscaleBot.Sandbox.Api;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Admin;

/// <summary>
/// <c>PUT /_sandbox/tokens/{organization}/{id}/usage</c> with <c>{"lastUsedAt": "…" | null, "createdAt": "…"}</c>: sets when
/// a token was last used (null: never) and, when given, when it was created, so tests and demos can make a token stale
/// without waiting 90 days. Loopback callers only, like the fault endpoints. Answers the token's new times.
/// </summary>
internal static class TokenUsageAdminEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapTokenUsageAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapLoopbackAdminGroup("/_sandbox/tokens");
        admin.MapPut("/{organization}/{id}/usage", async (string organization, string id, HttpRequest request, SandboxStateStore store, CancellationToken ct) =>
        {
            TokenUsage? usage;
            try
            {
                usage = await JsonSerializer.DeserializeAsync<TokenUsage>(request.Body, LoopbackAdminGroup.Json, ct);
            }
            catch (JsonException e)
            {
                return ApiError.BadRequest($"The body must be JSON like {{\"lastUsedAt\":\"2026-01-01T00:00:00Z\",\"createdAt\":\"2025-06-01T00:00:00Z\"}} ({e.Message}).");
            }

            if (usage is null)
            {
                return ApiError.BadRequest("The body must be a JSON object with lastUsedAt (a time or null) and, optionally, createdAt.");
            }

            var updated = await store.UpdateAsync(state =>
            {
                if (state.FindToken(organization, id) is not { } token)
                {
                    return null;
                }

                token.LastUsedAt = usage.LastUsedAt;
                token.CreatedAt = usage.CreatedAt ?? token.CreatedAt;
                return new TokenUsage(token.LastUsedAt, token.CreatedAt);
            }, ct);
            return updated is null ? ApiError.NotFound() : Results.Json(updated, LoopbackAdminGroup.Json);
        });
        return routes;
    }

    /// <summary>The times the endpoint sets.</summary>
    /// <param name="LastUsedAt">Last use; null for never.</param>
    /// <param name="CreatedAt">Creation; null to keep it.</param>
    internal sealed record TokenUsage(DateTimeOffset? LastUsedAt, DateTimeOffset? CreatedAt);
}
