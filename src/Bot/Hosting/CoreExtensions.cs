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
