using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Teams.Access;
using PscaleBot.Bot.Teams.Auth;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Teams.Dialogs;
using PscaleBot.Bot.Teams.Identity;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>
/// <c>POST /api/messages</c>: authenticate, then acknowledge at once and do slow work in the background
/// queue (the channel waits about 15 s and re-delivers when it does not hear back). Card invokes are
/// answered synchronously within <see cref="TeamsOptions.InvokeBudget"/>. Nothing runs before authentication.
/// </summary>
internal sealed partial class TeamsActivityEndpoint(
    TeamsRequestAuthenticator authenticator,
    IDeliveryLedger ledger,
    RepeatedRequestAnswers answers,
    IBackgroundWorkQueue queue,
    BackgroundAnswerRunner runner,
    ICommandPipeline pipeline,
    AnswerAudit answerAudit,
    TeamsCardActionRouter router,
    ServiceUrlPolicy serviceUrls,
    TeamsConversationDirectory directory,
    TeamsCallerGroups callerGroups,
    TeamsDialogEndpoint dialogs,
    TeamsMenuCommands menu,
    IOptionsMonitor<TeamsOptions> options,
    TimeProvider timeProvider,
    ILogger<TeamsActivityEndpoint> logger)
{
    /// <summary>How long an activity id is remembered: Teams re-delivers within minutes.</summary>
    internal static readonly TimeSpan DeliveryMemory = TimeSpan.FromMinutes(10);

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var body = await CappedRequestBody.ReadAsync(http.Request, TeamsOptions.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            return CappedRequestBody.TooLarge();
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(body, TeamsJsonContext.Default.Activity);
        }
        catch (JsonException)
        {
            activity = null;
        }

        if (activity is null)
        {
            // Nothing about the caller is known yet; the same 401 as a bad token says nothing to a prober.
            return string.IsNullOrEmpty(http.Request.Headers.Authorization) && !options.CurrentValue.DevelopmentModeActive
                ? Results.Unauthorized()
                : Results.BadRequest();
        }

        if (!await authenticator.AuthenticateAsync(http, activity, cancellationToken))
        {
            return Results.Unauthorized();
        }

        try
        {
            if (serviceUrls.IsAllowed(activity.ServiceUrl, out _))
            {
                // Proactive posts (approval cards, private notices) need a serviceUrl only Teams can give.
                await directory.RememberAsync(activity, cancellationToken);
            }

            return activity.Type switch
            {
                "message" => await HandleMessageAsync(activity, cancellationToken),
                "invoke" when activity.Name is "task/fetch" or "task/submit" => await dialogs.HandleAsync(activity, Replyable(activity), cancellationToken),
                "invoke" => await HandleInvokeAsync(activity),
                "installationUpdate" => await HandleInstallationAsync(activity, cancellationToken),
                _ => Results.Ok(),
            };
        }
        catch (Exception ex) when (ex is StoreUnavailableException or DbException)
        {
            // Nothing ran and nothing could be audited. A 503 with Retry-After makes Teams re-deliver the activity,
            // which then runs once the database is back (the ledger still decides it runs once); the outage itself
            // is logged once by the store that failed. A card click is not re-delivered: its answer says so instead.
            return activity.Type == "invoke"
                ? StoreDownInvokeAnswer.ToHttpResult()
                : new RetryLaterResult(StoreDownRetryAfter, StoreUnavailableException.UserSentence);
        }
    }

    private async Task<IResult> HandleMessageAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!CanReply(activity, out var reference) || !TeamsChatContext.TryCreate(activity, out var caller, out var place))
        {
            return Results.Ok();
        }

        var text = BotMentionText.Extract(activity);
        if (text.Length == 0)
        {
            if (activity.Value is not null)
            {
                // A legacy Action.Submit: the fallback of the bot's Action.Execute buttons on older clients.
                return await HandleSubmitAsync(activity, reference, caller, place, cancellationToken);
            }

            text = "help";
        }

        if (await menu.TryQueueAsync(text, reference, caller, place, cancellationToken) is { } shortcut)
        {
            return shortcut.Queued ? Results.Ok() : new RetryLaterResult(shortcut.RetryAfter);
        }

        var key = $"teams:message|{activity.Conversation?.Id}|{activity.Id}";
        if (activity.Id is not null && !await ledger.TryRecordAsync(key, DeliveryMemory, cancellationToken))
        {
            LogDuplicate(activity.Id);
            return Results.Ok();
        }

        // Only the reference and the prepared request cross into the worker, never the HttpContext. Parsing and
        // the policy need no network, so they run here: a refusal below is audited with the decision as parsed.
        (caller, var groupsKnown) = await callerGroups.WithGroupsAsync(caller, cancellationToken);
        var request = new ChatRequest(caller, place, text, activity.Id);
        var prepared = WithGroupNotice(await pipeline.PrepareAsync(request, cancellationToken), groupsKnown);
        var queued = runner.TryQueue($"Teams message {activity.Id}", reference, (services, ct) =>
            services.GetRequiredService<TeamsMessageTurn>().AnswerAsync(reference, prepared, ct),
            prepared.Command?.Options.Format ?? Commands.Grammar.OutputFormat.Human,
            prepared);
        if (!queued)
        {
            // Let Teams re-deliver later instead of dropping the command; Retry-After says when.
            await ledger.ForgetAsync(key, cancellationToken);
            LogBusy(activity.Id ?? "?");
            await answerAudit.RecordAsync(prepared, AnswerNotices.RefusedBusy, CancellationToken.None);

            return new RetryLaterResult(runner.RetryAfter(prepared));
        }

        return Results.Ok();
    }

    private async Task<IResult> HandleSubmitAsync(Activity activity, ConversationReference reference, ChatIdentity caller, ChatPlace place, CancellationToken cancellationToken)
    {
        if (activity.Value is not { Verb: { } verb } value || string.IsNullOrWhiteSpace(verb))
        {
            return Results.Ok();
        }

        var key = $"teams:submit|{activity.Conversation?.Id}|{activity.Id}";
        if (activity.Id is not null && !await ledger.TryRecordAsync(key, DeliveryMemory, cancellationToken))
        {
            LogDuplicate(activity.Id);
            return Results.Ok();
        }

        (caller, _) = await callerGroups.WithGroupsAsync(caller, cancellationToken);
        var action = new TeamsCardAction(verb, value, caller, place, activity.Conversation!.Id!, activity.ReplyToId);
        if (!queue.TryEnqueue(new BackgroundWorkItem($"Teams card submit {activity.Id}", (services, ct) =>
            services.GetRequiredService<TeamsSubmitTurn>().RunAsync(reference, action, ct), Owner: caller.UserId)))
        {
            await ledger.ForgetAsync(key, cancellationToken);
            LogBusy(activity.Id ?? "?");
            await answerAudit.RecordNotRunAsync(new ChatRequest(caller, place, $"button {verb}"), AnswerNotices.RefusedBusy, CancellationToken.None);
            return new RetryLaterResult(queue.RetryAfter(caller.UserId));
        }

        return Results.Ok();
    }

    private async Task<IResult> HandleInstallationAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!string.Equals(activity.Action, "add", StringComparison.OrdinalIgnoreCase) || !CanReply(activity, out var reference))
        {
            return Results.Ok();
        }

        var key = $"teams:install|{activity.Conversation?.Id}|{activity.Id}";
        if (activity.Id is not null && !await ledger.TryRecordAsync(key, DeliveryMemory, cancellationToken))
        {
            return Results.Ok();
        }

        if (!queue.TryEnqueue(new BackgroundWorkItem("Teams welcome", (services, ct) =>
            services.GetRequiredService<TeamsWelcome>().SendAsync(reference, ct))))
        {
            // Teams re-delivers on 503, so the welcome is only late, and the audit says it was refused meanwhile.
            await ledger.ForgetAsync(key, cancellationToken);
            LogBusy(activity.Id ?? "?");
            if (TeamsChatContext.TryCreate(activity, out var installer, out var place))
            {
                await answerAudit.RecordNotRunAsync(new ChatRequest(installer, place, "welcome message"), AnswerNotices.RefusedBusy, CancellationToken.None);
            }

            return new RetryLaterResult(queue.RetryAfter(null));
        }

        return Results.Ok();
    }

    private async Task<IResult> HandleInvokeAsync(Activity activity)
    {
        if (!string.Equals(activity.Name, "adaptiveCard/action", StringComparison.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status501NotImplemented);
        }

        TeamsInvokeResponse response;
        if (!TeamsChatContext.TryCreate(activity, out var caller, out var place))
        {
            response = TeamsInvokeResponse.Error(400, "BadRequest", "I couldn't tell who clicked, so nothing was done.");
        }
        else if (!TryReadAction(activity, out var verb, out var data))
        {
            response = TeamsInvokeResponse.Error(400, "BadRequest", "This card action is missing its verb.");
        }
        else
        {
            (caller, _) = await callerGroups.WithGroupsAsync(caller, CancellationToken.None);
            var action = new TeamsCardAction(verb, data, caller, place, activity.Conversation!.Id!, activity.ReplyToId);
            var key = $"teams:invoke|{activity.Conversation?.Id}|{activity.Id}";
            response = activity.Id is null
                ? await RunActionAsync(action)
                : await answers.GetOrRunAsync(key, () => RunActionAsync(action));
        }

        return response.ToHttpResult();
    }

    private async Task<TeamsInvokeResponse> RunActionAsync(TeamsCardAction action)
    {
        var handler = router.Find(action.Verb);
        if (handler is null)
        {
            return TeamsInvokeResponse.Error(400, "NotSupported", "This button is not supported any more. Run the command again.");
        }

        var budget = options.CurrentValue.InvokeBudget;
        using var cancellation = new CancellationTokenSource(budget, timeProvider);
        try
        {
            // Not the request's token: repeated invokes share this answer, and a retry must not cancel it.
            return await handler.HandleAsync(action, cancellation.Token).WaitAsync(budget, timeProvider);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && cancellation.IsCancellationRequested))
        {
            // WaitAsync may give up before the token's own timer fires; cancel so the handler stops too.
            await cancellation.CancelAsync();
            return TeamsInvokeResponse.Message("Still working on it; the card will update when it's done.");
        }
        catch (Exception ex) when (ex is StoreUnavailableException or DbException)
        {
            return StoreDownInvokeAnswer;
        }
        catch (Exception ex)
        {
            LogActionFailed(action.Verb, ex.GetType().Name);
            return TeamsInvokeResponse.Error(500, "InternalError", "Something went wrong on our side; nothing was changed by this click. Try again.");
        }
    }

    /// <summary>
    /// A refusal (or a whoami) given while the caller's Entra groups could not be read says so first: access through a
    /// group may simply not have applied, and trying again later may succeed.
    /// </summary>
    private static PreparedCommand WithGroupNotice(PreparedCommand prepared, bool groupsKnown) =>
        groupsKnown || prepared.Decision is not PolicyDecision.Denied && prepared.Command is not WhoAmICommand || prepared.ImmediateResponse is not { } answer
            ? prepared
            : prepared with { ImmediateResponse = answer with { Results = [new MessageResult(EntraGroupNotice.Text, MessageTone.Warning), .. answer.Results] } };

    private static bool TryReadAction(Activity activity, out string verb, out CardActionData data)
    {
        verb = activity.Value?.Action?.Verb ?? "";
        data = activity.Value?.Action?.Data ?? new CardActionData();
        return !string.IsNullOrWhiteSpace(verb);
    }

    private ConversationReference? Replyable(Activity activity) =>
        serviceUrls.IsAllowed(activity.ServiceUrl, out _) ? ConversationReference.From(activity) : null;

    private bool CanReply(Activity activity, out ConversationReference reference)
    {
        reference = ConversationReference.From(activity)!;
        if (reference is null || !serviceUrls.IsAllowed(activity.ServiceUrl, out _))
        {
            LogCannotReply();
            return false;
        }

        return true;
    }

    // What a click answers while the database cannot be used: the same sentence a typed command gets.
    private static readonly TeamsInvokeResponse StoreDownInvokeAnswer =
        TeamsInvokeResponse.Error(503, "ServiceUnavailable", StoreUnavailableException.UserSentence);

    // A database restart or failover takes seconds to a minute: Teams is asked to come back in half a minute.
    private static readonly TimeSpan StoreDownRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// 503 with Retry-After, so Teams (and anyone reading the log of the exchange) knows when to try again; with
    /// <paramref name="body"/> as plain text when there is something to say (the store being down).
    /// </summary>
    private sealed class RetryLaterResult(TimeSpan retryAfter, string? body = null) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = AnswerNotices.RetryAfterSeconds(retryAfter);
            return body is null ? Task.CompletedTask : httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background queue full; refused Teams activity {ActivityId} (Teams re-delivers it)")]
    private partial void LogBusy(string activityId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignoring re-delivered Teams activity {ActivityId}")]
    private partial void LogDuplicate(string activityId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams activity without a usable conversation or with a serviceUrl outside Teams:AllowedServiceUrlHosts; not answered")]
    private partial void LogCannotReply();

    [LoggerMessage(Level = LogLevel.Error, Message = "Card action {Verb} failed with {ExceptionType}")]
    private partial void LogActionFailed(string verb, string exceptionType);
}
