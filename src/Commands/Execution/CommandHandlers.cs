using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Diagnostics;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Secrets;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Finds the handler registered for a command (<see cref="CommandRoutes.KeyOf"/>) and runs it, turning every
/// failure into an <see cref="ErrorResult"/> worded for people: PlanetScale's for token commands, the access
/// workflow's for what <see cref="CommandRoutes.IsAccessWorkflow"/> sends there.
/// </summary>
public sealed partial class CommandHandlers(IServiceProvider services, ILogger<CommandHandlers> logger)
{
    /// <summary>Runs <paramref name="command"/>. Never throws except for cancellation of <paramref name="cancellationToken"/>.</summary>
    public async Task<ExecutionOutcome> RunAsync(BotCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var workflow = CommandRoutes.IsAccessWorkflow(command, context.Decision);
        try
        {
            var route = services.GetKeyedService<ICommandRoute>(CommandRoutes.KeyOf(command, context.Decision));
            return route is null
                ? ExecutionOutcome.Fail(
                    new ErrorResult($"`{command.PolicyName}` cannot be run here.", "Type `help` to see the commands you may run.", null, ErrorCategory.Usage),
                    "error: not runnable")
                : await route.RunAsync(command, context, cancellationToken);
        }
        catch (PlanetScaleApiException ex) when (!workflow)
        {
            return PlanetScaleFailures.Api(ex, command, context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var type = ex.GetType().FullName ?? ex.GetType().Name;
            if (!workflow)
            {
                LogUnexpected(type, SecretRedactor.Redact(ex.Message), command.PolicyName);
                return PlanetScaleFailures.Unexpected(ex, command, context);
            }

            LogWorkflowFailed(type, SecretRedactor.Redact(ex.Message), command.PolicyName);
            if (DatabaseFailure.Find(ex) is { } database)
            {
                // Whether the request's state moved before the store failed is not known here: say which part failed,
                // and send the person to look before trying again.
                var name = DatabaseFailure.Name(database);
                return ExecutionOutcome.Fail(
                    new ErrorResult(
                        $"The bot's own database failed while handling the access request ({name}).",
                        "It may be restarting: in a minute, check the request with `access list` before trying again; if it keeps failing, tell the bot's operators.",
                        null,
                        ErrorCategory.Internal),
                    "error: database " + name);
            }

            return ExecutionOutcome.Fail(
                new ErrorResult(
                    "Something went wrong on the bot's side while handling the access request.",
                    "Check its state with `access list` before trying again.",
                    null,
                    ErrorCategory.Internal),
                "error: internal " + ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {Command} failed unexpectedly: {ExceptionType}: {ExceptionMessage}")]
    private partial void LogUnexpected(string exceptionType, string exceptionMessage, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "The access workflow failed on {Command}: {ExceptionType}: {ExceptionMessage}")]
    private partial void LogWorkflowFailed(string exceptionType, string exceptionMessage, string command);
}
