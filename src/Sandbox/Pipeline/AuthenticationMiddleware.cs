using System.Security.Cryptography;
using System.Text;
using PscaleBot.Sandbox.Api;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Pipeline;

/// <summary>
/// Accepts <c>Authorization: &lt;id&gt;:&lt;secret&gt;</c> (a stored, unexpired service token; its <c>last_used_at</c> is
/// updated) or <c>Bearer &lt;access token&gt;</c> (the admin user). Everything else is 401.
/// </summary>
internal sealed class AuthenticationMiddleware(RequestDelegate next, SandboxStateStore store, SandboxCredentials credentials, TimeProvider time)
{
    /// <summary>Authenticates and continues, or rejects.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString().Trim();
        if (header.Length == 0)
        {
            await Unauthorized(context, "Authentication required: send 'Authorization: <SERVICE_TOKEN_ID>:<SERVICE_TOKEN>'.");
            return;
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
            if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(credentials.AccessToken)))
            {
                // The real API's OAuth failure body, which is not {code,message} (planetscale-api.md §1.4).
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(
                    new { error = "invalid_token", error_description = "The access token is invalid", state = "unauthorized" },
                    context.RequestAborted);
                return;
            }

            context.SetCaller(Caller.AdminUser);
            await next(context);
            return;
        }

        var colon = header.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == header.Length - 1)
        {
            await Unauthorized(context, "Malformed Authorization header: expected '<SERVICE_TOKEN_ID>:<SERVICE_TOKEN>'.");
            return;
        }

        var id = header[..colon].Trim();
        var secret = header[(colon + 1)..].Trim();
        var now = time.GetUtcNow();
        var outcome = await store.ReadAsync(state =>
        {
            var token = state.Tokens.Find(t => t.Id == id);
            if (token is null || !Credentials.Matches(secret, token.SecretHash))
            {
                return new AuthOutcome(null, "Invalid service token credentials.");
            }

            if (token.IsExpiredAt(now))
            {
                return new AuthOutcome(null, "The service token has expired.");
            }

            token.LastUsedAt = now;
            return new AuthOutcome(new Caller(token.Id, token.Name ?? token.Id, IsServiceToken: true), "");
        }, context.RequestAborted);

        if (outcome.Caller is null)
        {
            await Unauthorized(context, outcome.Message);
            return;
        }

        context.SetCaller(outcome.Caller);
        await next(context);
    }

    private sealed record AuthOutcome(Caller? Caller, string Message);

    private static Task Unauthorized(HttpContext context, string message) =>
        ApiError.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", message);
}
