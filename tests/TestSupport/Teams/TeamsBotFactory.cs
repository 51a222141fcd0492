using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Bot.Tests.Teams.Support;

/// <summary>
/// The real bot host with Teams on, its OpenID metadata pointed at <see cref="LocalOpenIdServer"/>, replies
/// allowed to the loopback <see cref="FakeConnectorServer"/>, and the pipeline replaced by a fake. One
/// background worker, so work is handled in arrival order.
/// </summary>
public sealed class TeamsBotFactory(LocalOpenIdServer openId, Dictionary<string, string?>? overrides = null) : WebApplicationFactory<Program>
{
    public const string WebhookSecret = "vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=";

    private readonly string dataFolder = Directory.CreateTempSubdirectory("pscale-teams-host-").FullName;

    public FakeCommandPipeline Pipeline { get; } = new();

    /// <summary>Header that makes the test server report a loopback (or not) remote address.</summary>
    public const string RemoteHeader = "X-Test-Remote-Ip";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        var settings = new Dictionary<string, string?>
        {
            ["Teams:Enabled"] = "true",
            ["Teams:AppId"] = LocalOpenIdServer.AppId,
            ["Teams:AppPassword"] = "not-a-real-password",
            ["Teams:AppTenantId"] = LocalOpenIdServer.TenantId,
            ["Teams:BotFrameworkOpenIdMetadataUrl"] = openId.BotFrameworkMetadataUrl,
            ["Teams:EntraOpenIdMetadataUrlTemplate"] = openId.EntraMetadataTemplate,
            ["Teams:AllowLoopbackServiceUrls"] = "true",
            ["Teams:Webhook:Enabled"] = "true",
            ["Teams:Webhook:Secret"] = WebhookSecret,
            ["BackgroundWork:MaxConcurrency"] = "1",
            // Its own stores: the delivery ledger and Teams references persist, and must not leak between tests.
            ["AccessRequests:StorePath"] = Path.Combine(dataFolder, "access.db"),
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ICommandPipeline>(Pipeline);
            services.AddSingleton<ITextResultRenderer, FakeTextRenderer>();
            services.AddSingleton<IBotConnectorTokenSource, FakeTokenSource>();
            services.AddSingleton<IStartupFilter, RemoteAddressStartupFilter>();
        });
    }

    private sealed class RemoteAddressStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = context.Request.Headers.TryGetValue(RemoteHeader, out var ip)
                    ? IPAddress.Parse(ip.ToString())
                    : IPAddress.Parse("203.0.113.7");
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
    }
}
