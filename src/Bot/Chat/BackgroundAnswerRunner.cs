using System.Diagnostics;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Diagnostics;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Chat;

/// <summary>The slow part of a command (preparing and/or executing it), run in the background with a fresh scope.</summary>
/// <param name="services">The work item's scope.</param>
/// <param name="cancellationToken">Cancelled at the background work timeout or the end of the shutdown drain.</param>
public delegate Task<CommandResponse> AnswerWork(IServiceProvider services, CancellationToken cancellationToken);

/// <summary>
/// Runs a command's slow part on the bounded <see cref="IBackgroundWorkQueue"/>, delivers the answer through the
/// platform's <see cref="IChatReplyTransport{TTarget}"/>, and always answers something: an unexpected exception
/// becomes one clear sentence (never a stack trace); an answer that cannot be delivered, and work the bot could
/// not finish (a restart, a timeout), are audited and told, so nobody is left waiting on silence.
/// </summary>
/// <param name="queue">The bounded work queue.</param>
/// <param name="time">Measures the time to answer (queued → delivered).</param>
public sealed partial class BackgroundAnswerRunner(IBackgroundWorkQueue queue, TimeProvider? time = null)
{
    /// <summary>The answer when the bot itself failed; it says nothing about internals.</summary>
    public static readonly ErrorResult Failure = new(
        "Something went wrong inside the bot while running this command; nothing more is known here.",
        "Try again, or ask the bot's operators to check its logs.",
        null,
        ErrorCategory.Internal);

    /// <summary>
    /// Queues <paramref name="work"/> for <paramref name="target"/> in the caller's fair-share lane; false when the
    /// queue (or the caller's lane) is full, so the caller can say "busy" at once (nothing ran), with
    /// <see cref="RetryAfter"/>.
    /// </summary>
    /// <param name="description">For logs; never contains secrets.</param>
    /// <param name="target">Where the answer goes.</param>
    /// <param name="work">The work that produces the answer.</param>
    /// <param name="failureFormat">The format the caller asked for, used for the failure answer.</param>
    /// <param name="command">The prepared command, for audit rows about its delivery; null when nothing was parsed.</param>
    public bool TryQueue<TTarget>(string description, TTarget target, AnswerWork work, OutputFormat failureFormat = OutputFormat.Human, PreparedCommand? command = null)
        where TTarget : notnull
    {
        // One audit row per command: when the pipeline was cut off mid-run it wrote the "cancelled" row itself (with the
        // PlanetScale request ids of what may have taken effect), so the abandonment only tells the requester.
        var cut = new CutOffWork(work);
        // The work runs on a queue worker, where the inbound request's span is no longer current: carry it over.
        var trace = new AnswerTrace(Activity.Current?.Context ?? default, time ?? TimeProvider.System);
        return queue.TryEnqueue(new BackgroundWorkItem(
            description,
            (services, ct) => RunAsync(services, target, cut.RunAsync, failureFormat, command, ct, trace),
            (services, why, ct) => AbandonAsync(services, target, failureFormat, cut.Audited ? null : command, why, ct),
            OwnerOf(command)));
    }

    /// <summary>When the requester of <paramref name="command"/> should try again after a "busy".</summary>
    public TimeSpan RetryAfter(PreparedCommand? command) => queue.RetryAfter(OwnerOf(command));

    // The fair share is per person: the qualified user id (slack:user:…, teams:user:…) the policy also uses.
    private static string? OwnerOf(PreparedCommand? command) => command?.Request.Caller.UserId;

    /// <summary>One run: the work, then the delivery, answering the failure sentence when either throws.</summary>
    internal static async Task RunAsync<TTarget>(
        IServiceProvider services, TTarget target, AnswerWork work, OutputFormat failureFormat, PreparedCommand? command, CancellationToken cancellationToken, AnswerTrace? trace = null)
        where TTarget : notnull
    {
        using var span = BotTelemetry.Source.StartActivity(BotTelemetry.Names.Answer, ActivityKind.Internal, trace?.Parent ?? default);
        var logger = services.GetRequiredService<ILogger<BackgroundAnswerRunner>>();
        var failure = new CommandResponse([Failure], failureFormat, ResponseVisibility.Private);
        CommandResponse response;
        try
        {
            response = await work(services, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Expected failures come back as results; this is the unexpected rest.
            LogWorkFailed(logger, ex.GetType().Name);
            response = failure;
        }

        var transport = services.GetRequiredService<IChatReplyTransport<TTarget>>();
        string reason;
        try
        {
            using (BotTelemetry.Source.StartActivity(BotTelemetry.Names.Reply))
            {
                await transport.DeliverAsync(target, response, cancellationToken);
            }

            AnswerAudit.DeliveryOutage<TTarget>(services.GetRequiredService<DependencyOutages>()).Succeeded();
            trace?.Delivered(services, command);
            return;
        }
        catch (ReplyUndeliveredException ex)
        {
            // The transport already tried every route it may safely retry; one more attempt would fail the same way.
            reason = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            reason = $"delivery failed ({ex.GetType().Name})";
            if (!ReferenceEquals(response, failure))
            {
                // The answer itself broke delivery (or the platform did): one short sentence may still get through.
                try
                {
                    await transport.DeliverAsync(target, failure, cancellationToken);
                }
                catch (Exception again) when (again is not OperationCanceledException)
                {
                    LogCouldNotTell(logger, again.GetType().Name);
                }
            }
        }

        await services.GetRequiredService<AnswerAudit>().UndeliveredAsync(transport, target, response, command, reason, cancellationToken);
    }

    /// <summary>The work did not finish (restart or timeout): audit it and tell the requester what that means for them.</summary>
    internal static async Task AbandonAsync<TTarget>(
        IServiceProvider services, TTarget target, OutputFormat format, PreparedCommand? command, WorkInterruption why, CancellationToken cancellationToken)
        where TTarget : notnull
    {
        await services.GetRequiredService<AnswerAudit>().RecordAsync(command, AnswerNotices.Unfinished(why), cancellationToken);
        var notice = new ErrorResult(AnswerNotices.UnfinishedText(why), AnswerNotices.UnfinishedHint(why), null, ErrorCategory.Internal);
        var response = new CommandResponse([notice], format, ResponseVisibility.Private);
        try
        {
            await services.GetRequiredService<IChatReplyTransport<TTarget>>().DeliverAsync(target, response, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCouldNotTell(services.GetRequiredService<ILogger<BackgroundAnswerRunner>>(), ex.GetType().Name);
        }
    }

    /// <summary>Remembers whether the work ended in a cancellation the pipeline already audited.</summary>
    private sealed class CutOffWork(AnswerWork work)
    {
        private volatile bool audited;

        public bool Audited => audited;

        public async Task<CommandResponse> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
        {
            try
            {
                return await work(services, cancellationToken);
            }
            catch (CommandCancelledException)
            {
                audited = true;
                throw;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat command work failed with {ExceptionType}; answering with the failure sentence")]
    private static partial void LogWorkFailed(ILogger logger, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver the failure sentence either ({ExceptionType})")]
    private static partial void LogCouldNotTell(ILogger logger, string exceptionType);
}
