using System.Text.Json.Nodes;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>The JSON Slack sends for the access form, the shortcut, App Home clicks and events.</summary>
public static class SlackFormPayloads
{
    public static JsonObject Suggestion(string user, JsonObject view, string typed) => new()
    {
        ["type"] = "block_suggestion",
        ["user"] = User(user),
        ["team"] = new JsonObject { ["id"] = SlackPeople.Team, ["domain"] = "acme" },
        ["api_app_id"] = "A0APP",
        ["action_id"] = "token",
        ["block_id"] = "token",
        ["value"] = typed,
        ["view"] = Echo(view, "V0FORM", null),
    };

    /// <summary>A submission of <paramref name="view"/> with these values (null leaves a field empty).</summary>
    public static JsonObject Submission(string user, JsonObject view, string viewId, string? token, string? database, string[] permissions, string? minutes, string? reason)
    {
        var values = new JsonObject
        {
            ["token"] = new JsonObject { ["token"] = Select("external_select", token) },
            ["database"] = new JsonObject { ["database"] = Select("static_select", database) },
            ["permissions"] = new JsonObject
            {
                ["permissions"] = new JsonObject
                {
                    ["type"] = "multi_static_select",
                    ["selected_options"] = new JsonArray([.. permissions.Select(p => (JsonNode)new JsonObject { ["text"] = Plain(p), ["value"] = p })]),
                },
            },
            ["duration"] = new JsonObject { ["duration"] = Select("static_select", minutes) },
            ["reason"] = new JsonObject { ["reason"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = reason } },
        };
        return new JsonObject
        {
            ["type"] = "view_submission",
            ["user"] = User(user),
            ["team"] = new JsonObject { ["id"] = SlackPeople.Team, ["domain"] = "acme" },
            ["api_app_id"] = "A0APP",
            ["trigger_id"] = $"submit.{viewId}",
            ["view"] = Echo(view, viewId, new JsonObject { ["values"] = values }),
        };
    }

    public static JsonObject Shortcut(string user, string channel, string messageTs, string triggerId) => new()
    {
        ["type"] = "message_action",
        ["callback_id"] = "pscale_request_access",
        ["user"] = User(user),
        ["team"] = new JsonObject { ["id"] = SlackPeople.Team, ["domain"] = "acme" },
        ["channel"] = new JsonObject { ["id"] = channel, ["name"] = channel.ToLowerInvariant() },
        ["message_ts"] = messageTs,
        ["message"] = new JsonObject { ["type"] = "message", ["ts"] = messageTs, ["text"] = "INC-9: replica lag on prod" },
        ["trigger_id"] = triggerId,
        ["response_url"] = "https://hooks.slack.com/app/T0ACME/1/x",
    };

    /// <summary>A click on a button of someone's App Home tab: no channel, no message, no response_url.</summary>
    public static JsonObject HomeClick(string user, string actionId, string value, string actionTs) => new()
    {
        ["type"] = "block_actions",
        ["user"] = User(user),
        ["team"] = new JsonObject { ["id"] = SlackPeople.Team, ["domain"] = "acme" },
        ["api_app_id"] = "A0APP",
        ["trigger_id"] = $"home.{actionTs}",
        ["container"] = new JsonObject { ["type"] = "view", ["view_id"] = "V0HOME" },
        ["view"] = new JsonObject { ["id"] = "V0HOME", ["type"] = "home" },
        ["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "home", ["value"] = value, ["action_ts"] = actionTs,
        }),
    };

    public static JsonObject HomeOpened(string user, string eventId) => new()
    {
        ["token"] = "deprecated",
        ["team_id"] = SlackPeople.Team,
        ["api_app_id"] = "A0APP",
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1700000000,
        ["event"] = new JsonObject { ["type"] = "app_home_opened", ["user"] = user, ["channel"] = "D0HOME", ["tab"] = "home", ["event_ts"] = "1700000000.1" },
    };

    private static JsonObject Echo(JsonObject view, string id, JsonObject? state)
    {
        var echoed = (JsonObject)view.DeepClone();
        echoed["id"] = id;
        echoed["state"] = state ?? new JsonObject { ["values"] = new JsonObject() };
        return echoed;
    }

    private static JsonObject? Select(string type, string? value) => value is null
        ? new JsonObject { ["type"] = type, ["selected_option"] = null }
        : new JsonObject { ["type"] = type, ["selected_option"] = new JsonObject { ["text"] = Plain(value), ["value"] = value } };

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static JsonObject User(string user) => new()
    {
        ["id"] = user, ["username"] = user.ToLowerInvariant(), ["name"] = user.ToLowerInvariant(), ["team_id"] = SlackPeople.Team,
    };
}

/// <summary>
/// Writes payloads the bot sent to Slack as sample files for tools/blockkit-check, when PSCALE_BLOCKKIT_SAMPLES names a
/// directory; otherwise does nothing. The check itself needs npm and stays out of dotnet test.
/// </summary>
public static class BlockKitSamples
{
    public static void Save(string name, JsonNode payload)
    {
        if (Environment.GetEnvironmentVariable("PSCALE_BLOCKKIT_SAMPLES") is not { Length: > 0 } directory)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".json"), payload.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
