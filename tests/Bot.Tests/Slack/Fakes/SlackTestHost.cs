using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Bot.Tests.Slack.Fakes;

/// <summary>The real host (Program) with the pipeline faked and Slack pointed at a <see cref="FakeSlackServer"/>.</summary>
public sealed class SlackTestHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configure;
    private readonly string dataFolder = Directory.CreateTempSubdirectory("pscale-slack-host-").FullName;

    public SlackTestHost(FakeSlackServer slack, Dictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null)
    {
        settings = new Dictionary<string, string?>
        {
            ["Slack:Enabled"] = "true",
            ["Slack:Mode"] = "Http",
            ["Slack:SigningSecret"] = SlackSigner.Secret,
            ["Slack:BotToken"] = "xoxb-test-bot-token",
            ["Slack:ApiBaseUrl"] = slack.ApiBase.ToString(),
            ["Slack:ResponseUrlHosts:0"] = "127.0.0.1",
            ["Slack:ReconnectBaseDelay"] = "00:00:00.010",
            ["Slack:ReconnectMaxDelay"] = "00:00:00.200",
            // Most tests script Slack after the host starts; the tests of the preload turn it on.
            ["Slack:PreloadUserGroups"] = "false",
            // Its own stores: the delivery ledger and Teams references persist, and must not leak between tests.
            ["AccessRequests:StorePath"] = Path.Combine(dataFolder, "access.db"),
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        this.configure = configure;
    }

    public FakeCommandPipeline Pipeline { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        builder.ConfigureLogging(l => l.ClearProviders());
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<ICommandPipeline>();
            services.AddSingleton<ICommandPipeline>(Pipeline);
            services.TryAddSingleton<ITextResultRenderer, FakeTextRenderer>();
            configure?.Invoke(services);
        });
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
