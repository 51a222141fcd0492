using System.Text.Json;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Teams.Inbound;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Teams.Webhook;

/// <summary>
/// <c>POST /teams/webhook</c>: the outgoing-webhook mode for teams that cannot register a bot. Teams waits five
/// seconds for the reply in the HTTP response and offers no private channel, so only read-only sub-commands run
/// here; anything that changes state (or would reveal a secret) is refused with a pointer to the bot.
/// </summary>
internal sealed partial class OutgoingWebhookEndpoint(
    ICommandPipeline pipeline,
    TeamsResultRenderer renderer,
    RepeatedRequestAnswers answers,
    IOptionsMonitor<TeamsOptions> options,
    TimeProvider timeProvider,
    ILogger<OutgoingWebhookEndpoint> logger)
{
    internal const string MutatingRefusal =
        "The outgoing webhook can only answer read-only commands (list, show, show-access, help, whoami): it cannot reply privately or ask for confirmation. " +
        "Install the pscale bot in Teams and run `{0}` there.";

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var settings = options.CurrentValue;
        var body = await CappedRequestBody.ReadAsync(http.Request, TeamsOptions.MaxRequestBodyBytes, http.RequestAborted);
        if (body is null)
        {
            return CappedRequestBody.TooLarge();
        }

        if (!OutgoingWebhookSignature.IsValid(http.Request.Headers.Authorization, body, settings.Webhook.Secret!))
        {
            LogRejected("bad HMAC signature");
            return Results.Unauthorized();
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(body, TeamsJsonContext.Default.Activity);
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        if (activity?.TenantId is not { } tenant || !settings.EffectiveAllowedTenants.Contains(tenant))
        {
            LogRejected("tenant not allowed");
            return Results.Unauthorized();
        }

        if (!TeamsChatContext.TryCreate(activity, out var caller, out var place))
        {
            return Reply(TeamsMessage.Plain("I couldn't tell who you are, so I didn't run anything."));
        }

        var text = BotMentionText.Extract(activity);
        var request = new ChatRequest(caller, place, text.Length == 0 ? "help" : text, activity.Id);
        var answer = activity.Id is null
            ? await AnswerAsync(request, settings.Webhook.Budget)
            : await answers.GetOrRunAsync($"teams:webhook|{activity.Conversation?.Id}|{activity.Id}", () => AnswerAsync(request, settings.Webhook.Budget));
        return Results.Json(answer, TeamsJsonContext.Default.OutgoingActivity);
    }

    private async Task<OutgoingActivity> AnswerAsync(ChatRequest request, TimeSpan budget)
    {
        using var cancellation = new CancellationTokenSource(budget, timeProvider);
        try
        {
            var prepared = await pipeline.PrepareAsync(request, cancellation.Token).WaitAsync(budget, timeProvider);
            if (prepared.Command is { IsMutating: true } command)
            {
                return ReplyJson([TeamsMessage.Plain(string.Format(System.Globalization.CultureInfo.InvariantCulture, MutatingRefusal, command.PolicyName))], null);
            }

            var response = prepared.ImmediateResponse ?? await pipeline.ExecuteAsync(prepared, cancellation.Token).WaitAsync(budget, timeProvider);
            if (response.ContainsSecret)
            {
                // Fail closed: a channel reply is the only reply a webhook has.
                return ReplyJson([TeamsMessage.Plain("That answer holds a secret and the outgoing webhook can only post in the channel, so it was not shown.")], null);
            }

            var messages = renderer.Render(response.Results, response.Format, new TeamsRenderContext(request.Caller.DisplayName));
            return ReplyJson(messages, response.SecretWarning);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && cancellation.IsCancellationRequested))
        {
            await cancellation.CancelAsync();
            return ReplyJson([TeamsMessage.Plain("PlanetScale didn't answer within the five seconds an outgoing webhook gets. Try again, or ask the pscale bot, which has no such limit.")], null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex.GetType().Name);
            return ReplyJson([TeamsMessage.Plain("Something went wrong on our side while answering. Please try again; if it keeps failing, tell the bot's operators.")], null);
        }
    }

    /// <summary>A webhook answers with exactly one activity: the first message, plus a note when more was cut.</summary>
    private static OutgoingActivity ReplyJson(IReadOnlyList<TeamsMessage> messages, string? secretWarning)
    {
        var first = messages.Count > 0 ? messages[0] : TeamsMessage.Plain("Done.");
        var notes = new List<string>();
        if (first.Text is not null)
        {
            notes.Add(first.Text);
        }

        if (messages.Count > 1)
        {
            notes.Add($"Showing part 1 of {messages.Count}. Use `--format csv`, or ask the pscale bot, for the rest.");
        }

        if (secretWarning is not null)
        {
            notes.Add("⚠️ " + secretWarning);
        }

        return new OutgoingActivity
        {
            Text = notes.Count > 0 ? string.Join("\n\n", notes) : null,
            TextFormat = notes.Count > 0 ? first.TextFormat ?? "markdown" : null,
            Attachments = first.Card is null ? null : [Attachment.Card(first.Card)],
        };
    }

    private static IResult Reply(TeamsMessage message) => Results.Json(ReplyJson([message], null), TeamsJsonContext.Default.OutgoingActivity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams outgoing webhook command failed with {ExceptionType}")]
    private partial void LogFailed(string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams outgoing webhook request rejected: {Reason}")]
    private partial void LogRejected(string reason);
}
