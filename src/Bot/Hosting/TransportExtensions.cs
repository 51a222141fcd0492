using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace PscaleBot.Bot.Hosting;

/// <summary>Kestrel's socket transport, tuned for what the bot's requests are: short, asynchronous, and many at once.</summary>
public static class TransportExtensions
{
    /// <summary>Where the socket transport's settings are read from (<c>Kestrel__Sockets__…</c> in the environment).</summary>
    public const string SectionName = "Kestrel:Sockets";

    /// <summary>
    /// Runs request code on the thread that received the socket's data instead of queueing it once more
    /// (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>), unless
    /// <c>Kestrel:Sockets:UnsafePreferInlineScheduling</c> is <c>false</c>.
    /// </summary>
    /// <remarks>
    /// Measured under steady load (docs/benchmarks.md, 2026-12-04): acknowledgement p99 after the first seconds 8–11 ms
    /// against 26–240 ms, and 6 % less CPU a command. "Unsafe" is about code that blocks: it would hold the thread that
    /// reads other sockets' data. The bot's request paths do not block (they await the stores and Slack, and the
    /// socket layer's own completions still run on the thread pool, since DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS
    /// is not set); the setting is there for a deployment that measures otherwise.
    /// </remarks>
    public static IHostApplicationBuilder AddSocketTransport(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseSockets(options => options.UnsafePreferInlineScheduling = true);
        builder.Services.Configure<SocketTransportOptions>(builder.Configuration.GetSection(SectionName));
        return builder;
    }
}
