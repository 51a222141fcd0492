using System.Text.Json;
using System.Text.Json.Serialization;
using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Bot.Slack.Interactions;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Bot.Slack.SocketMode;

namespace PscaleBot.Bot.Slack.Api;

/// <summary>JSON settings for Slack's snake_case API.</summary>
public static class SlackJson
{
    /// <summary>snake_case names, nulls left out, every Slack wire type generated at compile time (<see cref="SlackJsonContext"/>).</summary>
    public static JsonSerializerOptions Options => SlackJsonContext.Default.Options;
}

/// <summary>
/// The source-generated serializers of every Slack wire type: Block Kit, <c>response_url</c> bodies, Socket Mode
/// frames and acknowledgements, interaction payloads and the Web API. Polymorphic types are read and written by
/// their <c>type</c>; Slack does not always send <c>type</c> first, so out-of-order metadata is allowed.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(SlackMessage))]
[JsonSerializable(typeof(IReadOnlyList<SlackBlock>))]
[JsonSerializable(typeof(IReadOnlyList<RichTextSection>))]
[JsonSerializable(typeof(SlackResponseMessage))]
[JsonSerializable(typeof(SocketModeFrame))]
[JsonSerializable(typeof(SocketModeAck))]
[JsonSerializable(typeof(SocketModeInteractionAck))]
[JsonSerializable(typeof(SocketModeEnvelopeId))]
[JsonSerializable(typeof(SlashCommandPayload))]
[JsonSerializable(typeof(InteractionPayload))]
[JsonSerializable(typeof(ChatPostMessageRequest))]
[JsonSerializable(typeof(ChatPostEphemeralRequest))]
[JsonSerializable(typeof(ChatUpdateRequest))]
[JsonSerializable(typeof(ChatPostMessageResponse))]
[JsonSerializable(typeof(ChatPostEphemeralResponse))]
[JsonSerializable(typeof(ChatUpdateResponse))]
[JsonSerializable(typeof(UsersInfoResponse))]
[JsonSerializable(typeof(UsergroupsListResponse))]
[JsonSerializable(typeof(UsergroupsUsersListResponse))]
[JsonSerializable(typeof(ConversationsInfoResponse))]
[JsonSerializable(typeof(AppsConnectionsOpenResponse))]
[JsonSerializable(typeof(AuthTestResponse))]
[JsonSerializable(typeof(SlackApiResponse))]
[JsonSerializable(typeof(ViewsOpenRequest))]
[JsonSerializable(typeof(ViewsPublishRequest))]
[JsonSerializable(typeof(SlackView))]
[JsonSerializable(typeof(ViewsResponse))]
[JsonSerializable(typeof(ChatPermalinkResponse))]
[JsonSerializable(typeof(ConversationsOpenResponse))]
[JsonSerializable(typeof(FilesUploadUrlResponse))]
[JsonSerializable(typeof(IReadOnlyList<SlackFileRef>))]
[JsonSerializable(typeof(SlackInteractionAck))]
[JsonSerializable(typeof(Events.SlackEventEnvelope))]
[JsonSerializable(typeof(Events.UrlVerificationAnswer))]
public sealed partial class SlackJsonContext : JsonSerializerContext;

/// <summary>
/// A boolean Slack sends either as JSON <c>true</c>/<c>false</c> or, in slash commands, as the string <c>"true"</c>.
/// Anything else reads as false, as the form reader has always done.
/// </summary>
public sealed class SlackBooleanConverter : JsonConverter<bool>
{
    /// <inheritdoc />
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.String:
                return string.Equals(reader.GetString(), "true", StringComparison.OrdinalIgnoreCase);
            default:
                // An object or array must be read to its end, or the serializer rejects the whole payload.
                reader.Skip();
                return false;
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
