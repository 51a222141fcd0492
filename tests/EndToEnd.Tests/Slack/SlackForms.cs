using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Slack.Fakes;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>The form bodies Slack posts: a slash command and a block_actions button click (sign them with <see cref="SlackSigner"/>).</summary>
public static class SlackForms
{
    /// <summary>A <c>/pscale</c> slash command typed by <paramref name="user"/> in <paramref name="channel"/>.</summary>
    public static string Command(string user, string channel, string text, string responseUrl, string triggerId, string teamId = SlackPeople.Team) =>
        SlackSigner.Form(
            ("token", "deprecated"), ("team_id", teamId), ("team_domain", "acme"), ("channel_id", channel), ("channel_name", channel.ToLowerInvariant()),
            ("user_id", user), ("user_name", user.ToLowerInvariant()), ("command", "/pscale"), ("text", text),
            ("api_app_id", "A0APP"), ("is_enterprise_install", "false"), ("response_url", responseUrl),
            ("trigger_id", triggerId));

    /// <summary><paramref name="user"/> clicked button <paramref name="actionId"/> of the message at <paramref name="messageTs"/>.</summary>
    public static string Click(string user, string channel, string messageTs, string actionId, string value, string responseUrl, string triggerId, string actionTs)
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = SlackPeople.Team, ["domain"] = "acme" },
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user.ToLowerInvariant(), ["name"] = user.ToLowerInvariant(), ["team_id"] = SlackPeople.Team },
            ["api_app_id"] = "A0APP",
            ["trigger_id"] = triggerId,
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channel, ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = channel, ["name"] = channel.ToLowerInvariant() },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = messageTs, ["text"] = "request" },
            ["response_url"] = responseUrl,
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = actionId,
                ["block_id"] = "access",
                ["value"] = value,
                ["action_ts"] = actionTs,
            }),
        };
        return SlackSigner.Form(("payload", payload.ToJsonString()));
    }
}
