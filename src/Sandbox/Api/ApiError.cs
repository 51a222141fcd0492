namespace PscaleBot.Sandbox.Api;

/// <summary>The API's error body.</summary>
/// <param name="Code">Machine-readable code, e.g. <c>not_found</c>.</param>
/// <param name="Message">Human-readable text.</param>
internal sealed record ApiError(string Code, string Message)
{
    /// <summary>The generic 404 the real API gives for anything missing or not visible to the caller.</summary>
    public static IResult NotFound() => Result(StatusCodes.Status404NotFound, "not_found", "Not Found");

    /// <summary>422 with a specific message.</summary>
    public static IResult Unprocessable(string message) => Result(StatusCodes.Status422UnprocessableEntity, "unprocessable", message);

    /// <summary>400 for a body that cannot be read.</summary>
    public static IResult BadRequest(string message) => Result(StatusCodes.Status400BadRequest, "bad_request", message);

    /// <summary>Any status with a <c>{code,message}</c> body.</summary>
    public static IResult Result(int status, string code, string message) =>
        Results.Json(new ApiError(code, message), SandboxJson.Options, statusCode: status);

    /// <summary>Writes a <c>{code,message}</c> body from middleware.</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(code, message), SandboxJson.Options, context.RequestAborted);
    }

    /// <summary>The code the sandbox uses for a status it is told to force.</summary>
    public static string CodeFor(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        422 => "unprocessable",
        429 => "too_many_requests",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        >= 500 => "internal_server_error",
        _ => "error",
    };

    /// <summary>The message the sandbox uses for a status it is told to force.</summary>
    public static string MessageFor(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        >= 500 => "Internal Server Error",
        _ => $"HTTP {status}",
    };
}
