using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Teams.Identity;
using PscaleBot.Bot.Teams.Inbound;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Teams.Dialogs;

/// <summary>
/// The access request dialog: <c>task/fetch</c> answers with the form (<see cref="AccessRequestForm"/>) for the person
/// who clicked; <c>task/submit</c> turns the form into the typed <c>add-access</c> command and runs it as them through
/// the same pipeline (policy, audit, approvals). Problems go back into the dialog next to their field; an accepted
/// command closes it and answers in the conversation as a typed one does, after the invoke was answered.
/// </summary>
internal sealed partial class TeamsDialogEndpoint(
    DialogChoiceSource choiceSource,
    AccessFormPolicy formPolicy,
    TeamsCallerGroups callerGroups,
    ICommandPipeline pipeline,
    BackgroundAnswerRunner runner,
    RepeatedRequestAnswers answers,
    AnswerAudit answerAudit,
    ILogger<TeamsDialogEndpoint> logger)
{
    /// <summary>Answers a <c>task/fetch</c> or <c>task/submit</c> invoke.</summary>
    public async Task<IResult> HandleAsync(Activity activity, ConversationReference? reference, CancellationToken cancellationToken)
    {
        if (reference is null || !TeamsChatContext.TryCreate(activity, out var caller, out var place))
        {
            return Closed("I couldn't tell who opened this or where, so nothing was done.");
        }

        var data = activity.Value?.Data;
        if (!string.Equals(data?.Verb, AccessRequestForm.Verb, StringComparison.Ordinal))
        {
            return Closed("This button is not supported any more. Type `request access` to get a new one.");
        }

        if (activity.Name == "task/fetch")
        {
            var (who, _) = await callerGroups.WithGroupsAsync(caller, cancellationToken);
            return Shown(AccessRequestForm.Build(await choiceSource.ForAsync(who, place, cancellationToken)));
        }

        // Teams re-sends a submit it did not hear back about with the same id: the first answer is given again.
        var key = $"teams:task-submit|{activity.Conversation?.Id}|{activity.Id}";
        var answer = activity.Id is null
            ? await SubmitAsync(caller, place, data!, reference, activity.Id)
            : await answers.GetOrRunAsync(key, () => SubmitAsync(caller, place, data!, reference, activity.Id));
        return answer.Card is { } card ? Shown(card) : Closed(answer.Text!);
    }

    private async Task<DialogAnswer> SubmitAsync(ChatIdentity caller, ChatPlace place, DialogData form, ConversationReference reference, string? deliveryId)
    {
        // Not the request's token: a repeated submit shares this answer.
        var cancellationToken = CancellationToken.None;
        (caller, var groupsKnown) = await callerGroups.WithGroupsAsync(caller, cancellationToken);
        var choices = await choiceSource.ForAsync(caller, place, cancellationToken);
        if (!choices.Offered.CanRequest)
        {
            return new(AccessRequestForm.Build(choices), null);
        }

        if (AccessRequestSubmission.ToCommand(form, choices, (database, permissions, duration) => formPolicy.ReasonRequired(caller, place, database, permissions, duration), out var errors) is not { } command)
        {
            return new(AccessRequestForm.Build(choices, form, errors), null);
        }

        var prepared = await pipeline.PrepareAsync(new ChatRequest(caller, place, command, deliveryId), cancellationToken);
        if (prepared.ImmediateResponse is { } immediate)
        {
            // A refusal or a usage problem: shown above the form, which keeps what was entered.
            var problem = string.Join(" ", immediate.Results.OfType<ErrorResult>().Select(e => e.Hint is null ? e.Message : $"{e.Message} {e.Hint}"));
            if (!groupsKnown && prepared.Decision is PolicyDecision.Denied)
            {
                problem = EntraGroupNotice.Text + " " + problem;
            }

            return new(AccessRequestForm.Build(choices, form, new Dictionary<string, string> { [""] = problem.Length == 0 ? "The request could not be made." : problem }), null);
        }

        // The answer goes to the conversation as a new message: the invoke has no message to reply to.
        var target = reference with { ActivityId = null };
        var queued = runner.TryQueue($"Teams dialog submit {deliveryId}", target, (services, ct) =>
            services.GetRequiredService<TeamsMessageTurn>().AnswerAsync(target, prepared, ct),
            OutputFormat.Human, prepared);
        if (!queued)
        {
            LogBusy(caller.UserId);
            await answerAudit.RecordAsync(prepared, AnswerNotices.RefusedBusy, CancellationToken.None);
            return new(AccessRequestForm.Build(choices, form, new Dictionary<string, string> { [""] = AnswerNotices.Busy(runner.RetryAfter(prepared)) }), null);
        }

        return new(null, $"Sent: {command}. The answer appears in this chat.");
    }

    private static IResult Shown(Protocol.Cards.AdaptiveCard card) =>
        Results.Json(AccessRequestForm.Show(card), TeamsJsonContext.Default.TaskCardResponse);

    private static IResult Closed(string text) =>
        Results.Json(AccessRequestForm.Close(text), TeamsJsonContext.Default.TaskMessageResponse);

    /// <summary>What a submit answers: the form again (with problems) or a closing text.</summary>
    private sealed record DialogAnswer(Protocol.Cards.AdaptiveCard? Card, string? Text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background queue full; refused a Teams dialog submit from {UserId}")]
    private partial void LogBusy(string userId);
}
