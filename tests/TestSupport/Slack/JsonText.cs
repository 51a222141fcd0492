using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PscaleBot.Bot.Tests.Slack.Fakes;

public static class JsonText
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>JSON with characters as they are (System.Text.Json escapes &lt; &gt; &amp; + by default), for substring checks.</summary>
    public static string Raw(this JsonNode node) => node.ToJsonString(Relaxed);
}
