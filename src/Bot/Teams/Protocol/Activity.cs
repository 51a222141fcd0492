using System.Text.Json.Serialization;
using PscaleBot.Bot.Teams.Protocol.Cards;

namespace PscaleBot.Bot.Teams.Protocol;

/// <summary>
/// The parts of a Bot Framework Activity the bot reads (field names per the Bot Framework Activity spec):
/// <c>message</c>, <c>invoke</c> (<c>adaptiveCard/action</c>), <c>conversationUpdate</c> and <c>installationUpdate</c>.
/// Unknown fields are ignored; nothing here is trusted before the request is authenticated.
/// </summary>
internal sealed record Activity
{
    public string? Type { get; init; }
    public string? Id { get; init; }
    public string? Timestamp { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ChannelId { get; init; }
    public ChannelAccount? From { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public string? Text { get; init; }
    public string? TextFormat { get; init; }
    public List<Entity>? Entities { get; init; }
    public TeamsChannelData? ChannelData { get; init; }
    public string? ReplyToId { get; init; }

    /// <summary>A card click: the invoke's <c>{action, trigger}</c>, or a legacy submit's button data.</summary>
    public CardClickValue? Value { get; init; }

    /// <summary>The invoke name, e.g. <c>adaptiveCard/action</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>add</c> or <c>remove</c> on <c>installationUpdate</c>.</summary>
    public string? Action { get; init; }
    public List<ChannelAccount>? MembersAdded { get; init; }
    public List<ChannelAccount>? MembersRemoved { get; init; }
    public string? Locale { get; init; }

    /// <summary>The tenant the activity comes from: <c>channelData.tenant.id</c>, else <c>conversation.tenantId</c>.</summary>
    [JsonIgnore]
    public string? TenantId => ChannelData?.Tenant?.Id ?? Conversation?.TenantId;
}

/// <summary>A user or bot: <c>{id, name, aadObjectId}</c>. Authorise on <see cref="AadObjectId"/>, never on the name.</summary>
internal sealed record ChannelAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
}

/// <summary>The conversation: <c>personal</c>, <c>groupChat</c> or <c>channel</c> (a thread id is <c>&lt;channel&gt;;messageid=…</c>).</summary>
internal sealed record ConversationAccount
{
    public string? Id { get; init; }
    public string? ConversationType { get; init; }
    public string? TenantId { get; init; }
    public bool? IsGroup { get; init; }
    public string? Name { get; init; }
}

/// <summary>An entity of an activity; the bot reads <c>mention</c>s (<c>{type, mentioned, text}</c>).</summary>
internal sealed record Entity
{
    public string? Type { get; init; }
    public ChannelAccount? Mentioned { get; init; }
    public string? Text { get; init; }
}

/// <summary>Teams' <c>channelData</c>: tenant, and in team scope the team and channel.</summary>
internal sealed record TeamsChannelData
{
    public IdAndName? Team { get; init; }
    public IdAndName? Channel { get; init; }
    public IdAndName? Tenant { get; init; }

    /// <summary>On <c>conversationUpdate</c>: <c>teamMemberAdded</c>, <c>channelCreated</c>, ….</summary>
    public string? EventType { get; init; }
}

/// <summary><c>{id, name}</c> of a team, channel or tenant.</summary>
internal sealed record IdAndName
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

/// <summary>
/// The <c>value</c> of a card click. An <c>adaptiveCard/action</c> invoke carries <c>{action:{type, verb, data}, trigger}</c>;
/// a legacy <c>Action.Submit</c> arrives as a message whose value is the button's data itself (<c>{verb, id, for}</c>),
/// which is what this record inherits.
/// </summary>
internal sealed record CardClickValue : CardActionData
{
    public InvokeAction? Action { get; init; }

    /// <summary><c>manual</c> (a click) or <c>automatic</c> (a refresh).</summary>
    public string? Trigger { get; init; }

    /// <summary>On <c>task/fetch</c> and <c>task/submit</c>: the button's data merged with the dialog's input values.</summary>
    public DialogData? Data { get; init; }
}

/// <summary>
/// The data of a dialog invoke: the opening button's <see cref="CardActionData.Verb"/> and, on submit, the request
/// form's inputs. A multi-select's values arrive joined by commas.
/// </summary>
internal sealed record DialogData : CardActionData
{
    public string? Token { get; init; }
    public string? Database { get; init; }
    public string? Permissions { get; init; }
    public string? Duration { get; init; }
    public string? Reason { get; init; }
}

/// <summary>The clicked <c>Action.Execute</c> of an invoke.</summary>
internal sealed record InvokeAction
{
    public string? Type { get; init; }
    public string? Id { get; init; }
    public string? Verb { get; init; }
    public CardActionData? Data { get; init; }
}
