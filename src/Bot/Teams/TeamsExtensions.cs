namespace PscaleBot.Bot.Teams;

/// <summary>Composition of the Teams Bot Framework endpoint and outgoing webhook.</summary>
public static class TeamsExtensions
{
    /// <summary>Registers the Teams Bot Framework endpoint and outgoing webhook.</summary>
    public static IHostApplicationBuilder AddTeams(this IHostApplicationBuilder builder) => builder;

    /// <summary>Maps the endpoints of the Teams Bot Framework endpoint and outgoing webhook.</summary>
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder endpoints) => endpoints;
}
