using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PscaleBot.Sandbox.Api;

namespace PscaleBot.Sandbox.Pipeline;

/// <summary>Answers 429 with <c>Retry-After</c> once a caller passes the per-minute limit.</summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, PerCallerRateLimit limit)
{
    /// <summary>Counts the request and continues, or rejects it.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (limit.TryAcquire(CallerKey(context)) is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await ApiError.WriteAsync(context, StatusCodes.Status429TooManyRequests, "too_many_requests",
                $"Rate limit exceeded: more than {context.RequestServices.GetRequiredService<Faults.SandboxFaults>().RateLimitPerMinute} requests in a minute. Retry after {retryAfter} seconds.");
            return;
        }

        await next(context);
    }

    // Keyed before authentication on purpose: floods of bad credentials are limited too. Secrets are hashed, never kept.
    private static string CallerKey(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return "bearer:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header)))[..16];
        }

        var colon = header.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? "token:" + header[..colon].Trim() : "address:" + context.Connection.RemoteIpAddress;
    }
}
