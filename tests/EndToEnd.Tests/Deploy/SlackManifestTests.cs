using PscaleBot.Bot.Slack.Forms;
using YamlDotNet.RepresentationModel;

namespace PscaleBot.EndToEnd.Tests.Deploy;

/// <summary>The Slack app manifest declares what the form, the shortcut, App Home and file answers need.</summary>
public sealed class SlackManifestTests
{
    private static readonly YamlMappingNode Manifest = Load();

    [Fact]
    public void The_message_shortcut_has_the_callback_id_the_bot_routes()
    {
        var shortcut = Assert.Single(Seq(Map(Manifest, "features"), "shortcuts").Children.OfType<YamlMappingNode>());
        Assert.Equal(SlackAccessForm.ShortcutCallbackId, Scalar(shortcut, "callback_id"));
        Assert.Equal("message", Scalar(shortcut, "type"));
        Assert.Equal("Request database access", Scalar(shortcut, "name"));
    }

    [Fact]
    public void The_home_tab_and_the_app_home_opened_event_are_on_and_point_at_the_events_endpoint()
    {
        Assert.Equal("true", Scalar(Map(Map(Manifest, "features"), "app_home"), "home_tab_enabled"));
        var events = Map(Map(Manifest, "settings"), "event_subscriptions");
        Assert.EndsWith("/slack/events", Scalar(events, "request_url"));
        Assert.Contains("app_home_opened", Seq(events, "bot_events").Children.Select(c => ((YamlScalarNode)c).Value));
    }

    [Fact]
    public void File_answers_have_the_scopes_they_need()
    {
        var scopes = Seq(Map(Map(Manifest, "oauth_config"), "scopes"), "bot").Children.Select(c => ((YamlScalarNode)c).Value).ToList();
        Assert.Contains("files:write", scopes);
        Assert.Contains("im:write", scopes);
    }

    private static YamlMappingNode Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "deploy", "slack", "manifest.yaml")))
        {
            directory = directory.Parent;
        }

        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(directory!.FullName, "deploy", "slack", "manifest.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static YamlSequenceNode Seq(YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    private static string? Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value;
}
