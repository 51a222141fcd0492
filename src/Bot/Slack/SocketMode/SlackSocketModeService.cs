using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Bot.Slack.Interactions;

namespace PscaleBot.Bot.Slack.SocketMode;

/// <summary>
/// The one owned Socket Mode loop: opens a fresh URL with <c>apps.connections.open</c>, connects, and on
/// Slack's <c>disconnect</c> opens the replacement before closing the old socket. Failures back off
/// exponentially with jitter (honouring <c>Retry-After</c>); unrecoverable errors stop it and show in readiness.
/// </summary>
public sealed partial class SlackSocketModeService(
    IOptions<SlackOptions> options,
    SlackApiClient api,
    SlackConnectionState state,
    IDeliveryLedger ledger,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<SlackSocketModeService> logger) : BackgroundService
{
    private static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(30);

    /// <summary>Disconnect reasons after which reconnecting cannot help.</summary>
    private static readonly HashSet<string> FinalDisconnectReasons = new(StringComparer.Ordinal) { "link_disabled", "socket_mode_disabled" };

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Mode != SlackMode.SocketMode)
        {
            state.Set(SlackConnectionStatus.NotInUse, "Slack Socket Mode is not configured");
            return;
        }

        state.Set(SlackConnectionStatus.Connecting, "opening the first connection");
        SocketModeConnection? current = null;
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                SocketModeConnection next;
                try
                {
                    var url = await api.OpenSocketModeConnectionAsync(stoppingToken);
                    next = await SocketModeConnection.ConnectAsync(url, settings, ProcessEnvelopeAsync, time, stoppingToken);
                }
                catch (SlackApiException ex) when (ex.IsUnrecoverable)
                {
                    state.Set(SlackConnectionStatus.Stopped, $"apps.connections.open failed with {ex.Error}; fix Slack:AppToken and restart");
                    LogUnrecoverable(ex.Error);
                    return;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Anything else (network, timeouts, Slack errors) is worth another try: this loop must
                    // never end the host, and must never spin.
                    failures++;
                    var wait = ex is SlackApiException { IsRateLimited: true } limited
                        ? limited.RetryAfter ?? DefaultRateLimitWait
                        : Backoff(failures, settings);
                    var error = ex is SlackApiException api ? api.Error : ex.GetType().Name;
                    state.Set(current is null ? SlackConnectionStatus.Connecting : SlackConnectionStatus.Reconnecting, $"connect failed ({error}); retrying");
                    LogConnectFailed(error, failures, wait);
                    await Task.Delay(wait, time, stoppingToken);
                    continue;
                }

                // Connect before close: the old socket goes only once its replacement has said hello.
                if (current is not null)
                {
                    await current.CloseAsync();
                    await current.DisposeAsync();
                }

                current = next;
                failures = 0;
                state.Set(SlackConnectionStatus.Connected, "connected");
                LogConnected();

                var end = await current.Ended.WaitAsync(stoppingToken);
                if (end.DisconnectReason is { } reason)
                {
                    if (FinalDisconnectReasons.Contains(reason))
                    {
                        state.Set(SlackConnectionStatus.Stopped, $"Slack ended Socket Mode ({reason}); turn Socket Mode on for the app and restart");
                        LogUnrecoverable(reason);
                        return;
                    }

                    // Routine refresh: keep the old socket until the new one is up (no backoff).
                    state.Set(SlackConnectionStatus.Reconnecting, $"Slack asked to reconnect ({reason})");
                    LogRefresh(reason);
                    if (reason == "too_many_websockets")
                    {
                        failures++;
                        await Task.Delay(Backoff(failures, settings), time, stoppingToken);
                    }

                    continue;
                }

                // The socket died without notice: drop it now, back off a little, reconnect.
                await current.DisposeAsync();
                current = null;
                failures++;
                var delay = Backoff(failures, settings);
                state.Set(SlackConnectionStatus.Reconnecting, $"connection lost ({end.Error}); reconnecting");
                LogLost(end.Error ?? "unknown", delay);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (current is not null)
            {
                await current.CloseAsync();
                await current.DisposeAsync();
            }

            if (state.Status != SlackConnectionStatus.Stopped)
            {
                state.Set(SlackConnectionStatus.Stopped, "the bot is shutting down");
            }
        }
    }

    /// <summary>Exponential backoff with jitter: half fixed, half random, capped.</summary>
    public static TimeSpan Backoff(int failures, SlackOptions settings)
    {
        var exponent = Math.Min(failures - 1, 16);
        var ceiling = Math.Min(settings.ReconnectMaxDelay.TotalMilliseconds, settings.ReconnectBaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    private async Task ProcessEnvelopeAsync(SocketModeFrame envelope, Func<SocketModeAck, Task> send, CancellationToken cancellationToken)
    {
        var envelopeId = envelope.EnvelopeId!;
        var ack = new SocketModeAck(envelopeId);

        bool isNew;
        try
        {
            isNew = await ledger.TryRecordAsync($"slack:envelope:{envelopeId}", options.Value.DeliveryMemory, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            // Whether this envelope already ran cannot be known: run nothing, acknowledge (a re-delivery could not
            // be told apart either), and say so where the person looks. The outage itself is logged once by the store.
            await AnswerStoreDownAsync(envelope, ack, send, cancellationToken);
            return;
        }

        if (!isNew)
        {
            // Already handled; the first acknowledgement was lost. Acknowledge again, run nothing.
            LogDuplicateEnvelope(envelopeId);
            await send(ack);
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            switch (envelope)
            {
                case SlashCommandsEnvelope slash:
                    var command = SlackSlashCommand.From(slash.Payload);
                    if (command is null)
                    {
                        await send(ack);
                        return;
                    }

                    var answer = await scope.ServiceProvider.GetRequiredService<SlackCommandHandler>().HandleAsync(command, cancellationToken);
                    if (answer is not null && slash.AcceptsResponsePayload)
                    {
                        await send(ack with { Payload = answer });
                    }
                    else
                    {
                        await send(ack);
                        if (answer is not null)
                        {
                            await scope.ServiceProvider.GetRequiredService<SlackReplySender>().DeliverAsync(
                                new SlackReplyTarget(command.TeamId, command.ChannelId, command.UserId, command.ResponseUrl,
                                    Identity.SlackIdentityFactory.IsDirectMessage(command.ChannelId, command.ChannelName)),
                                [new PlannedReply(answer, false)],
                                cancellationToken);
                        }
                    }

                    break;
                case InteractiveEnvelope interactive:
                    // Suggestions and submissions are answered in the acknowledgement, so they are handled first.
                    var interactionAnswer = interactive.Payload is { } payload
                        ? await scope.ServiceProvider.GetRequiredService<SlackInteractionHandler>().HandleAsync(payload, cancellationToken)
                        : null;
                    await send(ack with { Interaction = interactionAnswer });
                    break;
                case EventsApiEnvelope events:
                    try
                    {
                        // De-duplicated and queued, never run here: quick, so the acknowledgement follows it.
                        if (events.Payload is { } callback)
                        {
                            await scope.ServiceProvider.GetRequiredService<Events.SlackEventHandler>().HandleAsync(callback, events.RetryAttempt ?? 0, cancellationToken);
                        }
                    }
                    finally
                    {
                        await send(ack);
                    }

                    break;
                default:
                    await send(ack);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not WebSocketException)
        {
            LogEnvelopeFailed(envelope.GetType().Name, ex.GetType().Name);
        }
    }

    private async Task AnswerStoreDownAsync(SocketModeFrame envelope, SocketModeAck ack, Func<SocketModeAck, Task> send, CancellationToken cancellationToken)
    {
        if (envelope is SlashCommandsEnvelope && envelope.AcceptsResponsePayload)
        {
            await send(ack with { Payload = SlackStoreDownAnswer.Message });
            return;
        }

        await send(ack);
        var responseUrl = envelope switch
        {
            SlashCommandsEnvelope slash => SlackSlashCommand.From(slash.Payload)?.ResponseUrl,
            InteractiveEnvelope { Payload: BlockActionsPayload clicks } => clicks.ResponseUrl,
            _ => null,
        };
        if (responseUrl is null)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SlackResponseUrlClient>().PostAsync(responseUrl, SlackStoreDownAnswer.Message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogEnvelopeFailed(envelope.GetType().Name, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode connected")]
    private partial void LogConnected();

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack asked to reconnect ({Reason}); opening a new connection before closing the old one")]
    private partial void LogRefresh(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connection lost ({Error}); reconnecting in {Delay}")]
    private partial void LogLost(string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connect failed with {Error} (attempt {Failures}); retrying in {Delay}")]
    private partial void LogConnectFailed(string error, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Slack Socket Mode stopped: {Error}")]
    private partial void LogUnrecoverable(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Acknowledged re-delivered Slack envelope {EnvelopeId} without running it again")]
    private partial void LogDuplicateEnvelope(string envelopeId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack envelope {Type} failed with {ExceptionType}")]
    private partial void LogEnvelopeFailed(string type, string exceptionType);
}
