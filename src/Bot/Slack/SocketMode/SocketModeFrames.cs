using System.Text.Json.Serialization;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Bot.Slack.Interactions;

namespace PscaleBot.Bot.Slack.SocketMode;

/// <summary>
/// A text frame Slack sends over a Socket Mode WebSocket, read by its <c>type</c>. A frame of a type the bot does
/// not know is read as this base type, so its envelope can still be acknowledged and Slack stops re-sending it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", IgnoreUnrecognizedTypeDiscriminators = true)]
[JsonDerivedType(typeof(HelloFrame), "hello")]
[JsonDerivedType(typeof(DisconnectFrame), "disconnect")]
[JsonDerivedType(typeof(SlashCommandsEnvelope), "slash_commands")]
[JsonDerivedType(typeof(InteractiveEnvelope), "interactive")]
[JsonDerivedType(typeof(EventsApiEnvelope), "events_api")]
public record SocketModeFrame
{
    /// <summary>The envelope to acknowledge; null for <c>hello</c> and <c>disconnect</c>.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>True when the acknowledgement may carry the answer (slash commands).</summary>
    public bool AcceptsResponsePayload { get; init; }

    /// <summary>How often Slack has sent this envelope before (Events API only).</summary>
    public int? RetryAttempt { get; init; }

    /// <summary>Why Slack re-sent it (<c>timeout</c>), for Events API envelopes.</summary>
    public string? RetryReason { get; init; }
}

/// <summary>The first frame of a connection: Slack is ready to deliver.</summary>
/// <param name="NumConnections">The app's open connections.</param>
/// <param name="DebugInfo">Where the connection landed and how long it should last.</param>
/// <param name="ConnectionInfo">The app.</param>
public sealed record HelloFrame(int? NumConnections, SocketModeDebugInfo? DebugInfo, SocketModeConnectionInfo? ConnectionInfo) : SocketModeFrame;

/// <summary>Slack asks the client to move to a new connection (or to stop).</summary>
/// <param name="Reason"><c>refresh_requested</c>, <c>warning</c>, <c>too_many_websockets</c>, <c>link_disabled</c>…; read as a free string.</param>
/// <param name="DebugInfo">The host that sent it.</param>
public sealed record DisconnectFrame(string? Reason, SocketModeDebugInfo? DebugInfo) : SocketModeFrame;

/// <summary>A slash command; the acknowledgement may carry the immediate answer.</summary>
/// <param name="Payload">The command, with the same fields as the HTTP form.</param>
public sealed record SlashCommandsEnvelope(SlashCommandPayload? Payload) : SocketModeFrame;

/// <summary>An interaction (button click, modal submission): the same JSON as HTTP's <c>payload</c> field.</summary>
/// <param name="Payload">The interaction.</param>
public sealed record InteractiveEnvelope(InteractionPayload? Payload) : SocketModeFrame;

/// <summary>An Events API callback: the same JSON as the HTTP Events API's body.</summary>
/// <param name="Payload">The callback.</param>
public sealed record EventsApiEnvelope(Events.SlackEventEnvelope? Payload) : SocketModeFrame;

/// <summary>Diagnostics Slack attaches to <c>hello</c> and <c>disconnect</c>.</summary>
/// <param name="Host">The Slack host of the connection.</param>
/// <param name="BuildNumber">Slack's build.</param>
/// <param name="ApproximateConnectionTime">Seconds until Slack refreshes the connection.</param>
public sealed record SocketModeDebugInfo(string? Host, int? BuildNumber, int? ApproximateConnectionTime);

/// <summary>Which app a connection belongs to.</summary>
/// <param name="AppId">The app id (A…).</param>
public sealed record SocketModeConnectionInfo(string? AppId);

/// <summary>The acknowledgement of an envelope, sent back on the socket that delivered it.</summary>
/// <param name="EnvelopeId">The envelope acknowledged.</param>
/// <param name="Payload">The immediate answer, when the envelope accepts one.</param>
public sealed record SocketModeAck(string EnvelopeId, SlackResponseMessage? Payload = null)
{
    /// <summary>
    /// An interaction's acknowledgement body instead (suggestions, inline errors); sent as the <c>payload</c> of a
    /// <see cref="SocketModeInteractionAck"/>.
    /// </summary>
    [JsonIgnore]
    public SlackInteractionAck? Interaction { get; init; }
}

/// <summary>The acknowledgement of an <c>interactive</c> envelope that carries an answer (options, <c>response_action</c>).</summary>
/// <param name="EnvelopeId">The envelope acknowledged.</param>
/// <param name="Payload">The answer.</param>
public sealed record SocketModeInteractionAck(string EnvelopeId, SlackInteractionAck Payload);

/// <summary>Only the envelope id of a frame whose body could not be read, so it can still be acknowledged.</summary>
/// <param name="EnvelopeId">The envelope id, if the frame has one.</param>
public sealed record SocketModeEnvelopeId(string? EnvelopeId);
