namespace PscaleBot.Bot.Hosting;

/// <summary>Composition of the platform-agnostic pipeline (parser, policy, PlanetScale, execution, audit).</summary>
public static class CoreExtensions
{
    /// <summary>Registers the command pipeline and what it needs.</summary>
    public static IHostApplicationBuilder AddCommandCore(this IHostApplicationBuilder builder) => builder;
}
