namespace PscaleBot.Bot.Slack.Events;

/// <summary>
/// The body of an Events API request (HTTP) or the payload of an <c>events_api</c> envelope (Socket Mode):
/// <c>url_verification</c> with its challenge, or an <c>event_callback</c> around one event.
/// </summary>
/// <param name="Type"><c>url_verification</c> or <c>event_callback</c>.</param>
/// <param name="Challenge">Echoed back on <c>url_verification</c>.</param>
/// <param name="EventId">Unique per event (Ev…), for de-duplication.</param>
/// <param name="TeamId">The workspace.</param>
/// <param name="ApiAppId">The app.</param>
/// <param name="EventTime">When it happened (Unix seconds).</param>
/// <param name="Event">The event.</param>
public sealed record SlackEventEnvelope(string? Type, string? Challenge, string? EventId, string? TeamId, string? ApiAppId, long? EventTime, SlackEvent? Event);

/// <summary>One event, as much as the bot reads.</summary>
/// <param name="Type"><c>app_home_opened</c>, …</param>
/// <param name="User">Who it is about (U…).</param>
/// <param name="Tab">For <c>app_home_opened</c>: <c>home</c> or <c>messages</c>.</param>
public sealed record SlackEvent(string? Type, string? User, string? Tab);

/// <summary>The answer to <c>url_verification</c>.</summary>
/// <param name="Challenge">The challenge, as sent.</param>
public sealed record UrlVerificationAnswer(string Challenge);
