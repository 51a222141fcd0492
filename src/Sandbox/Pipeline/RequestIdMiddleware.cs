namespace PscaleBot.Sandbox.Pipeline;

/// <summary>Gives every response a random <c>X-Request-Id</c>, like the real API, so clients can record it.</summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "X-Request-Id";

    /// <summary>Adds the header and continues.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.Headers[HeaderName] = Guid.NewGuid().ToString("N");
        return next(context);
    }
}
