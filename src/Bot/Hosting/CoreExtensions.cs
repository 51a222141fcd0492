using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.PlanetScale;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Hosting;

/// <summary>Composition of the platform-agnostic pipeline (parser, policy, PlanetScale, execution, audit).</summary>
public static class CoreExtensions
{
    /// <summary>Registers the command pipeline and what it needs; each piece validates its settings at start.</summary>
    public static IHostApplicationBuilder AddCommandCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        // No client keeps IHttpClientFactory's own request logging. It writes URLs at Information, and a response_url,
        // an upload URL or a webhook URL is a capability; and it passes raw header values (the bot token, bearer
        // tokens) to structured sinks at Trace, even where the message text redacts them. Each client logs its
        // failures itself, by status or error code (PlanetScale adds its own header-free logger).
        builder.Services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());
        builder.Services.AddCommandGrammar();
        builder.Services.AddAuthorizationPolicy(builder.Configuration);
        builder.Services.AddPlanetScaleClient(builder.Configuration);
        builder.AddSharedPlanetScaleBudget();
        builder.AddAudit();
        builder.Services.AddAuditGroupCommit();
        builder.Services.AddCommandExecution();
        builder.Services.AddSingleton<PlanetScaleStartupCheck>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PlanetScaleStartupCheck>());
        builder.Services.AddHealthChecks().AddCheck<PlanetScaleStartupCheck>("planetscale");
        return builder;
    }
}
