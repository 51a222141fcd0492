using System.Net;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Teams.Connector;

/// <summary>
/// The Bot Connector's HttpClient and its retries. A POST (a new message) is retried only when the connector
/// cannot have processed it: 429 and 503 are refusals before processing, and a connection that never opened sent
/// nothing; 500/502/504 and timeouts are ambiguous, so a POST is not retried after them. A PUT replaces the same
/// activity and a GET (a roster read) changes nothing, so both are also retried after 5xx and timeouts.
/// </summary>
internal static class BotConnectorHttp
{
    /// <summary>30 s an attempt by default (<see cref="TeamsOptions.ConnectorTimeout"/>), as HttpClient allowed before.</summary>
    public static HttpTimeouts Timeouts { get; } = HttpTimeouts.OfAttempt(new TeamsOptions().ConnectorTimeout);

    /// <summary>The retry rule; a <c>Retry-After</c> over 10 s ends the call instead of being cut short.</summary>
    public static SafeRetryRule Rule { get; } = new()
    {
        IsIdempotent = static request => request.Method == HttpMethod.Put || request.Method == HttpMethod.Get,
        Refusals = new HashSet<HttpStatusCode> { HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable },
        MaxRetryAttempts = BotConnectorClient.MaxAttempts - 1,
        BaseDelay = TimeSpan.FromMilliseconds(500),
        MaxRetryAfter = TimeSpan.FromSeconds(10),
    };

    /// <summary>Registers <see cref="IBotConnectorClient"/> on a typed HttpClient with <see cref="Rule"/>.</summary>
    public static IHttpClientBuilder AddBotConnectorClient(this IServiceCollection services) =>
        services.AddHttpClient<IBotConnectorClient, BotConnectorClient>()
            .AddSafeRetries("BotConnector", _ => Rule, sp => HttpTimeouts.OfAttempt(sp.GetRequiredService<IOptions<TeamsOptions>>().Value.ConnectorTimeout));
}
