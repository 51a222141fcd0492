namespace PscaleBot.Sandbox.Admin;

/// <summary>
/// First in the <c>/v1</c> branch, so every call is counted with the status it finally got, injected faults and 429s
/// included.
/// </summary>
internal sealed class ApiCallCountingMiddleware(RequestDelegate next, ApiCallCounter counter)
{
    /// <summary>Runs the rest of the pipeline, then counts the call.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            counter.Record(context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode);
        }
    }
}
