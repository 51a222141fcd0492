using PscaleBot.Sandbox.Api;
using PscaleBot.Sandbox.Faults;

namespace PscaleBot.Sandbox.Pipeline;

/// <summary>Applies <see cref="SandboxFaults"/> to API requests: latency first, then forced statuses, then random 500s.</summary>
internal sealed class FaultInjectionMiddleware(RequestDelegate next, SandboxFaults faults, TimeProvider time)
{
    /// <summary>Delays or fails the request as configured, otherwise continues.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var delay = faults.NextDelay();
        if (delay > TimeSpan.Zero)
        {
            // The timer must exist before the delay is reported as pending: a test that sees it pending and
            // advances a fake clock would otherwise move time before the timer starts counting.
            var wait = Task.Delay(delay, time, context.RequestAborted);
            faults.DelayStarted();
            try
            {
                await wait;
            }
            finally
            {
                faults.DelayEnded();
            }
        }

        if (faults.TakeForced(context.Request.Method, context.Request.Path.Value ?? "/") is { } forced)
        {
            await WriteForcedAsync(context, forced);
            return;
        }

        if (faults.NextRandomError())
        {
            await ApiError.WriteAsync(context, 500, "internal_server_error", "Internal Server Error (injected by the sandbox)");
            return;
        }

        await next(context);
    }

    private static async Task WriteForcedAsync(HttpContext context, ForcedFault forced)
    {
        if (forced.RetryAfterSeconds is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (forced.RawBody is { } raw)
        {
            context.Response.StatusCode = forced.Status;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(raw, context.RequestAborted);
            return;
        }

        if (forced.Status == StatusCodes.Status204NoContent || forced.Status < 400)
        {
            context.Response.StatusCode = forced.Status;
            return;
        }

        await ApiError.WriteAsync(context, forced.Status, ApiError.CodeFor(forced.Status), ApiError.MessageFor(forced.Status));
    }
}
