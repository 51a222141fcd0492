using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Teams.Outbound;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>A message to answer after the HTTP request was acknowledged.</summary>
internal sealed record TeamsTurn(ConversationReference Reference, ChatRequest Request);

/// <summary>Runs one message through the pipeline in the background and posts the answer.</summary>
internal sealed partial class TeamsMessageTurn(
    IServiceProvider services,
    IBotConnectorClient connector,
    TeamsResponseDelivery delivery,
    ILogger<TeamsMessageTurn> logger)
{
    public async Task RunAsync(TeamsTurn turn, CancellationToken cancellationToken)
    {
        try
        {
            await SendTypingAsync(turn.Reference, cancellationToken);

            // Resolved here so a broken composition still gets the caller an answer instead of silence.
            var pipeline = services.GetRequiredService<ICommandPipeline>();
            var response = await pipeline.RunAsync(turn.Request, cancellationToken);
            await delivery.DeliverAsync(response, turn.Reference, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex.GetType().Name);
            await TryTellAsync(turn.Reference, "Something went wrong on our side while answering. Please try again; if it keeps failing, tell the bot's operators.", cancellationToken);
        }
    }

    private async Task SendTypingAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        try
        {
            await connector.SendAsync(reference, OutgoingActivity.Typing, cancellationToken);
        }
        catch (BotConnectorException)
        {
            // Typing is a courtesy; the answer itself reports real failures.
        }
    }

    private async Task TryTellAsync(ConversationReference reference, string text, CancellationToken cancellationToken)
    {
        try
        {
            await connector.SendAsync(reference, TeamsMessage.Plain(text).ToActivity(), cancellationToken);
        }
        catch (BotConnectorException ex)
        {
            LogCouldNotTell(ex.StatusCode);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams message turn failed with {ExceptionType}")]
    private partial void LogFailed(string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report a failure to Teams (status {StatusCode})")]
    private partial void LogCouldNotTell(int? statusCode);
}

/// <summary>Greets a team, chat or user when the app is installed.</summary>
internal sealed class TeamsWelcome(IBotConnectorClient connector)
{
    internal const string Text =
        "Hi! I manage PlanetScale service tokens. Try `@pscale help`, `@pscale whoami` or " +
        "`@pscale service-token show-access <TOKEN_ID>`. In channels and group chats, @mention me. " +
        "What you may do depends on where you ask (see `whoami`), and new token secrets are only ever sent to you in a 1:1 chat with me.";

    public Task SendAsync(ConversationReference reference, CancellationToken cancellationToken) =>
        connector.SendAsync(reference with { ActivityId = null }, TeamsMessage.Markdown(Text).ToActivity(), cancellationToken);
}
