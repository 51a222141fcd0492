namespace PscaleBot.Bot.Access;

/// <summary>Composition of on-call access requests, approvals and time-bound grants.</summary>
public static class AccessRequestsExtensions
{
    /// <summary>Registers on-call access requests, approvals and time-bound grants.</summary>
    public static IHostApplicationBuilder AddAccessRequests(this IHostApplicationBuilder builder) => builder;

    /// <summary>Maps the endpoints of on-call access requests, approvals and time-bound grants.</summary>
    public static IEndpointRouteBuilder MapAccessRequests(this IEndpointRouteBuilder endpoints) => endpoints;
}
