using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Bot.Slack.Interactions;

namespace PscaleBot.Bot.Slack.Http;

/// <summary>
/// <c>POST /slack/commands</c>, <c>POST /slack/interactions</c> and <c>POST /slack/events</c>: verify the signature over the raw body
/// bytes before anything else, then hand the parsed request to the transport-neutral handlers.
/// </summary>
public static partial class SlackHttpEndpoints
{
    /// <summary>Maps the endpoints; they answer 404 unless Slack is enabled in HTTP mode.</summary>
    public static IEndpointRouteBuilder MapSlackHttp(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/slack").ExcludeFromDescription();
        group.MapPost("/commands", HandleCommandAsync);
        group.MapPost("/interactions", HandleInteractionAsync);
        group.MapPost("/events", HandleEventAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleCommandAsync(HttpContext http, IOptions<SlackOptions> options, SlackSignatureVerifier verifier, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SlackHttpEndpoints));
        var (form, failure) = await ReadVerifiedFormAsync(http, options.Value, verifier, logger);
        if (failure is not null)
        {
            return failure;
        }

        var command = SlackSlashCommand.FromFields(name => form!.TryGetValue(name, out var v) ? v.ToString() : null);
        if (command is null)
        {
            return Results.BadRequest();
        }

        var handler = http.RequestServices.GetRequiredService<SlackCommandHandler>();
        var ack = await handler.HandleAsync(command, http.RequestAborted);
        return ack is null ? Results.Ok() : Results.Json(ack, SlackJsonContext.Default.SlackResponseMessage);
    }

    private static async Task<IResult> HandleInteractionAsync(HttpContext http, IOptions<SlackOptions> options, SlackSignatureVerifier verifier, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SlackHttpEndpoints));
        var (form, failure) = await ReadVerifiedFormAsync(http, options.Value, verifier, logger);
        if (failure is not null)
        {
            return failure;
        }

        if (!form!.TryGetValue("payload", out var payloadText) || string.IsNullOrEmpty(payloadText))
        {
            return Results.BadRequest();
        }

        InteractionPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(payloadText.ToString(), SlackJsonContext.Default.InteractionPayload);
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        var ack = payload is null ? null : await http.RequestServices.GetRequiredService<SlackInteractionHandler>().HandleAsync(payload, http.RequestAborted);
        return ack is null ? Results.Ok() : Results.Json(ack, SlackJsonContext.Default.SlackInteractionAck);
    }

    // The Events API: url_verification is answered with its challenge (signed like everything else); events are
    // acknowledged at once and handled in the background, once per event id however often Slack retries.
    private static async Task<IResult> HandleEventAsync(HttpContext http, IOptions<SlackOptions> options, SlackSignatureVerifier verifier, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SlackHttpEndpoints));
        var (body, failure) = await ReadVerifiedBodyAsync(http, options.Value, verifier, logger);
        if (failure is not null)
        {
            return failure;
        }

        Events.SlackEventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body!, SlackJsonContext.Default.SlackEventEnvelope);
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        if (envelope is { Type: "url_verification", Challenge: { } challenge })
        {
            return Results.Json(new Events.UrlVerificationAnswer(challenge), SlackJsonContext.Default.UrlVerificationAnswer);
        }

        if (envelope is not null)
        {
            var retry = int.TryParse(http.Request.Headers["X-Slack-Retry-Num"].ToString(), out var n) ? n : 0;
            await http.RequestServices.GetRequiredService<Events.SlackEventHandler>().HandleAsync(envelope, retry, http.RequestAborted);
        }

        return Results.Ok();
    }

    private static async Task<(Dictionary<string, Microsoft.Extensions.Primitives.StringValues>? Form, IResult? Failure)> ReadVerifiedFormAsync(
        HttpContext http, SlackOptions options, SlackSignatureVerifier verifier, ILogger logger)
    {
        if (!options.Enabled || options.Mode != SlackMode.Http)
        {
            return (null, Results.NotFound());
        }

        var body = await CappedRequestBody.ReadAsync(http.Request, options.MaxRequestBodyBytes, http.RequestAborted);
        if (body is null)
        {
            return (null, CappedRequestBody.TooLarge());
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        if (form.TryGetValue("ssl_check", out var sslCheck) && sslCheck == "1" && !form.ContainsKey("command") && !form.ContainsKey("payload"))
        {
            // Slack's certificate check: answer 200, do nothing.
            return (null, Results.Ok());
        }

        return Verify(http, verifier, logger, body) is { } rejected ? (null, rejected) : (form, null);
    }

    private static async Task<(byte[]? Body, IResult? Failure)> ReadVerifiedBodyAsync(HttpContext http, SlackOptions options, SlackSignatureVerifier verifier, ILogger logger)
    {
        if (!options.Enabled || options.Mode != SlackMode.Http)
        {
            return (null, Results.NotFound());
        }

        var body = await CappedRequestBody.ReadAsync(http.Request, options.MaxRequestBodyBytes, http.RequestAborted);
        if (body is null)
        {
            return (null, CappedRequestBody.TooLarge());
        }

        return Verify(http, verifier, logger, body) is { } rejected ? (null, rejected) : (body, null);
    }

    private static IResult? Verify(HttpContext http, SlackSignatureVerifier verifier, ILogger logger, byte[] body)
    {
        var check = verifier.Verify(
            http.Request.Headers["X-Slack-Request-Timestamp"].ToString(),
            http.Request.Headers["X-Slack-Signature"].ToString(),
            body);
        if (check != SignatureCheck.Valid)
        {
            LogRejected(logger, check, http.Request.Path, http.Request.Headers["X-Slack-Request-Timestamp"].ToString());
            return Results.Unauthorized();
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Slack request to {Path}: signature {Check} (request timestamp {Timestamp})")]
    private static partial void LogRejected(ILogger logger, SignatureCheck check, string path, string timestamp);
}
