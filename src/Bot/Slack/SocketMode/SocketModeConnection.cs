using System.Net.WebSockets;
using System.Text.Json;
using PscaleBot.Bot.Slack.Api;

namespace PscaleBot.Bot.Slack.SocketMode;

/// <summary>How a connection ended.</summary>
/// <param name="DisconnectReason">Slack's <c>disconnect</c> reason when it asked us to move, else null.</param>
/// <param name="Error">What broke, when the socket failed or closed without asking.</param>
public sealed record ConnectionEnd(string? DisconnectReason, string? Error);

/// <summary>
/// One Socket Mode WebSocket: reads frames, hands envelopes to the processor with an acknowledgement that
/// goes back on this same socket, and reports when Slack asks to reconnect or the socket dies. Client pings
/// with a pong timeout (<see cref="ClientWebSocketOptions.KeepAliveTimeout"/>) detect a silently dead link.
/// </summary>
public sealed class SocketModeConnection : IAsyncDisposable
{
    private const int MaxMessageBytes = 4 * 1024 * 1024;
    private readonly ClientWebSocket socket;
    private readonly Func<SocketModeFrame, Func<SocketModeAck, Task>, CancellationToken, Task> onEnvelope;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly TaskCompletionSource hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ConnectionEnd> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private Task receiving = Task.CompletedTask;

    private SocketModeConnection(ClientWebSocket socket, Func<SocketModeFrame, Func<SocketModeAck, Task>, CancellationToken, Task> onEnvelope)
    {
        this.socket = socket;
        this.onEnvelope = onEnvelope;
    }

    /// <summary>Completes when Slack asks to reconnect, or the socket closes or fails.</summary>
    public Task<ConnectionEnd> Ended => ended.Task;

    /// <summary>Connects to <paramref name="url"/> and waits for Slack's <c>hello</c>.</summary>
    public static async Task<SocketModeConnection> ConnectAsync(
        Uri url,
        SlackOptions options,
        Func<SocketModeFrame, Func<SocketModeAck, Task>, CancellationToken, Task> onEnvelope,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = options.SocketPingInterval;
        socket.Options.KeepAliveTimeout = options.SocketPingTimeout;
        var connection = new SocketModeConnection(socket, onEnvelope);
        try
        {
            await socket.ConnectAsync(url, cancellationToken);
            connection.receiving = connection.ReceiveLoopAsync();
            var first = await Task.WhenAny(connection.hello.Task, connection.ended.Task).WaitAsync(TimeSpan.FromSeconds(10), time, cancellationToken);
            if (first != connection.hello.Task)
            {
                var ended = await connection.ended.Task;
                throw new WebSocketException($"Socket Mode connection ended before hello: {ended.Error ?? ended.DisconnectReason}");
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the socket politely (after a replacement is up) and waits for the reader to finish.</summary>
    public async Task CloseAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        // Let the reader finish what Slack still sends before its close frame; then stop it regardless.
        try
        {
            await receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }

        await stop.CancelAsync();
        await receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        socket.Abort();
        await receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        socket.Dispose();
        stop.Dispose();
        sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                message.SetLength(0);
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        ended.TrySetResult(new ConnectionEnd(null, $"closed by Slack ({result.CloseStatus})"));
                        return;
                    }

                    if (message.Length + result.Count > MaxMessageBytes)
                    {
                        ended.TrySetResult(new ConnectionEnd(null, "message too large"));
                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    await HandleFrameAsync(message.ToArray());
                }
            }

            ended.TrySetResult(new ConnectionEnd(null, "closed by the bot"));
        }
        catch (OperationCanceledException)
        {
            ended.TrySetResult(new ConnectionEnd(null, "closed by the bot"));
        }
        catch (Exception ex)
        {
            // Whatever broke, the loop must learn that this socket is over, or it would wait forever.
            ended.TrySetResult(new ConnectionEnd(null, ex.GetType().Name));
        }
    }

    private async Task HandleFrameAsync(byte[] frame)
    {
        switch (Read(frame))
        {
            case HelloFrame:
                hello.TrySetResult();
                break;
            case DisconnectFrame disconnect:
                ended.TrySetResult(new ConnectionEnd(disconnect.Reason ?? "unknown", null));
                break;
            case { EnvelopeId: not null } envelope:
                await onEnvelope(envelope, SendAsync, stop.Token);
                break;
        }
    }

    /// <summary>The frame, typed; null when it is not JSON at all.</summary>
    private static SocketModeFrame? Read(byte[] frame)
    {
        try
        {
            return JsonSerializer.Deserialize(frame, SlackJsonContext.Default.SocketModeFrame);
        }
        catch (JsonException)
        {
            // The body does not match its type. Its envelope id alone still lets it be acknowledged, so Slack
            // does not keep re-sending what the bot cannot read anyway.
            try
            {
                return JsonSerializer.Deserialize(frame, SlackJsonContext.Default.SocketModeEnvelopeId) is { EnvelopeId: { } id }
                    ? new SocketModeFrame { EnvelopeId = id }
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    private async Task SendAsync(SocketModeAck ack)
    {
        var bytes = ack.Interaction is { } interaction
            ? JsonSerializer.SerializeToUtf8Bytes(new SocketModeInteractionAck(ack.EnvelopeId, interaction), SlackJsonContext.Default.SocketModeInteractionAck)
            : JsonSerializer.SerializeToUtf8Bytes(ack, SlackJsonContext.Default.SocketModeAck);
        await sendLock.WaitAsync(stop.Token);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, stop.Token);
        }
        finally
        {
            sendLock.Release();
        }
    }
}
