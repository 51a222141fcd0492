using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution;

/// <summary>How a failed PlanetScale call or an unexpected failure of a token command is worded for people.</summary>
internal static class PlanetScaleFailures
{
    /// <summary>The error for a PlanetScale API failure while running <paramref name="command"/>.</summary>
    public static ExecutionOutcome Api(PlanetScaleApiException ex, BotCommand command, CommandContext context)
    {
        var tokenId = TokenIdOf(command);
        var organization = context.Organization;
        var (message, hint) = ex.Kind switch
        {
            PlanetScaleErrorKind.NotFound when tokenId is not null => (
                $"Token {tokenId} does not exist in organization {organization}.",
                "Check the token id with `service-token list`; a 404 can also mean the bot's PlanetScale credentials lack access."),
            PlanetScaleErrorKind.NotFound => (
                $"Organization {organization} does not exist, or the bot's PlanetScale credentials cannot see it.",
                "Check the organization name given with --org."),
            PlanetScaleErrorKind.Unauthorized => (ex.Message, "The bot's PlanetScale credentials are invalid or expired; ask the bot's operators to renew them."),
            PlanetScaleErrorKind.Forbidden => (ex.Message, "The bot's PlanetScale credentials are not allowed to do this; ask the bot's operators."),
            PlanetScaleErrorKind.Invalid => (ex.Message, "Check the permission names and scope with `help " + command.PolicyName + "`."),
            PlanetScaleErrorKind.RateLimited => (ex.Message, "PlanetScale is rate limiting the bot; try again in a minute."),
            PlanetScaleErrorKind.Malformed => (ex.Message, "PlanetScale answered something the bot could not read; the API might be down."),
            _ => (ex.Message, "PlanetScale could not be reached or failed; try again shortly."),
        };
        if (context.ChangeSent && ex.Kind is PlanetScaleErrorKind.Timeout or PlanetScaleErrorKind.Unreachable or PlanetScaleErrorKind.ServerError)
        {
            hint += tokenId is not null
                ? $" The change may or may not have been made: check with `service-token show-access {tokenId}`."
                : " The change may or may not have been made: check with `service-token list`.";
        }

        return ExecutionOutcome.Fail(new ErrorResult(message, hint, null, ErrorCategory.Api), Outcome(ex));
    }

    /// <summary>The error for anything else that went wrong; internals stay in the log.</summary>
    public static ExecutionOutcome Unexpected(Exception ex, BotCommand command, CommandContext context)
    {
        var hint = context.ChangeSent
            ? $"The change may or may not have been made: check with `service-token {CheckCommand(command)}`."
            : "Nothing was changed. Try again; if it keeps failing, tell the bot's operators.";
        return ExecutionOutcome.Fail(new ErrorResult("Something went wrong on the bot's side.", hint, null, ErrorCategory.Internal), "error: internal " + ex.GetType().Name);
    }

    /// <summary>The audit outcome of a PlanetScale API failure.</summary>
    public static string Outcome(PlanetScaleApiException ex) =>
        $"error: api {ex.Kind}{(ex.StatusCode is { } status ? $" ({status})" : "")}";

    private static string? TokenIdOf(BotCommand command) => command switch
    {
        ShowTokenCommand c => c.TokenId,
        DeleteTokenCommand c => c.TokenId,
        AddAccessCommand c => c.TokenId,
        DeleteAccessCommand c => c.TokenId,
        ShowAccessCommand c => c.TokenId,
        RotateTokenCommand c => c.TokenId,
        _ => null,
    };

    private static string CheckCommand(BotCommand command) =>
        TokenIdOf(command) is { } id && command is not DeleteTokenCommand ? $"show-access {id}" : "list";
}
