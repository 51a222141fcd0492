using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Hosting;

namespace PscaleBot.Bot.Tests.Hosting;

public sealed class SocketTransportTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public async Task Request_code_runs_inline_on_the_socket_transport_unless_the_setting_turns_it_off(string? setting, bool inline)
    {
        var builder = WebApplication.CreateBuilder();
        if (setting is not null)
        {
            builder.Configuration[$"{TransportExtensions.SectionName}:UnsafePreferInlineScheduling"] = setting;
        }

        builder.AddSocketTransport();
        await using var app = builder.Build();

        Assert.Equal(inline, app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }
}
