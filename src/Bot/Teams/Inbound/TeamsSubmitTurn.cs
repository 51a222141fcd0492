using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Rendering;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>
/// A legacy <c>Action.Submit</c> (the fallback of the bot's <c>Action.Execute</c> buttons on older clients):
/// it arrives as a message whose <c>value</c> carries <c>{verb, …data}</c>. It runs the same handler as the
/// invoke, after the HTTP request was acknowledged, and answers through the connector: a card replaces the
/// clicked card (<c>replyToId</c>), a message is posted as a reply.
/// </summary>
internal sealed partial class TeamsSubmitTurn(
    TeamsCardActionRouter router,
    IBotConnectorClient connector,
    ILogger<TeamsSubmitTurn> logger)
{
    public async Task RunAsync(ConversationReference reference, TeamsCardAction action, CancellationToken cancellationToken)
    {
        TeamsInvokeResponse response;
        try
        {
            response = router.Find(action.Verb) is { } handler
                ? await handler.HandleAsync(action, cancellationToken)
                : TeamsInvokeResponse.Message("This button is not supported any more. Run the command again.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(action.Verb, ex.GetType().Name);
            response = TeamsInvokeResponse.Message("Something went wrong on our side; nothing was changed by this click. Try again.");
        }

        if (response.UpdatedCard is { } card)
        {
            if (action.CardActivityId is { } cardId)
            {
                await connector.UpdateAsync(reference, cardId, TeamsMessage.FromCard(card).ToActivity(), cancellationToken);
            }
            else
            {
                await connector.SendAsync(reference, TeamsMessage.FromCard(card).ToActivity(), cancellationToken);
            }

            return;
        }

        var text = response.Text ?? response.Failure?.Message ?? "That click could not be handled.";
        await connector.SendAsync(reference, TeamsMessage.Plain(text).ToActivity(), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Card submit {Verb} failed with {ExceptionType}")]
    private partial void LogFailed(string verb, string exceptionType);
}
