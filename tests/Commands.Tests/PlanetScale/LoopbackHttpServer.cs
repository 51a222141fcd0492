using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PscaleBot.Commands.Tests.PlanetScale;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (port 0) that answers each connection with the next scripted raw response,
/// so the client's real primary handler (SocketsHttpHandler) is exercised end to end.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<string> responses = new();
    private readonly ConcurrentQueue<string> requests = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public LoopbackHttpServer()
    {
        listener.Start();
        loop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>The raw request heads (request line and headers) received, in order.</summary>
    public IReadOnlyList<string> Requests => [.. requests];

    public LoopbackHttpServer Respond(int status, string reason, string? json = null, params string[] headers)
    {
        var body = json ?? "";
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n");
        if (json is not null)
        {
            head.Append("Content-Type: application/json\r\n");
        }

        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        responses.Enqueue(head.Append("\r\n").Append(body).ToString());
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop.
        }

        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            using var client = await listener.AcceptTcpClientAsync(stop.Token);
            var stream = client.GetStream();
            var head = await ReadHeadAsync(stream, stop.Token);
            requests.Enqueue(head);
            await DrainBodyAsync(stream, head, stop.Token);
            var response = responses.TryDequeue(out var scripted) ? scripted : "HTTP/1.1 500 Unscripted\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(response), stop.Token);
            await stream.FlushAsync(stop.Token);
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var buffer = new byte[1];
        while (!EndsWithBlankLine(bytes) && await stream.ReadAsync(buffer, cancellationToken) == 1)
        {
            bytes.Add(buffer[0]);
        }

        return Encoding.ASCII.GetString([.. bytes]);
    }

    private static async Task DrainBodyAsync(NetworkStream stream, string head, CancellationToken cancellationToken)
    {
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var remaining = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var buffer = new byte[Math.Max(remaining, 1)];
        while (remaining > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, remaining), cancellationToken);
            if (read == 0)
            {
                return;
            }

            remaining -= read;
        }
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';
}
