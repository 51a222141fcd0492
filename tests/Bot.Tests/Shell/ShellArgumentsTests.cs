using Microsoft.Extensions.Logging;
using PscaleBot.Bot.Shell;

namespace PscaleBot.Bot.Tests.Shell;

public sealed class ShellArgumentsTests
{
    [Fact]
    public void Reads_command_user_and_configuration_overrides()
    {
        var parsed = ShellArguments.Parse(["--command", "service-token list", "-u", "alice", "PlanetScale:DefaultOrganization=acme"]);

        Assert.Null(parsed.Error);
        Assert.Equal("service-token list", parsed.Command);
        Assert.Equal("alice", parsed.User);
        Assert.Equal(["PlanetScale:DefaultOrganization=acme"], parsed.ConfigurationArgs);
    }

    [Fact]
    public void Diagnostics_are_off_unless_asked_for_with_debug()
    {
        Assert.False(ShellArguments.Parse(["--command", "help"]).Debug);
        Assert.True(ShellArguments.Parse(["--debug", "--command", "help"]).Debug);
    }

    [Fact]
    public void The_console_shows_a_log_entry_as_one_sentence_without_the_exception()
    {
        var formatter = new SentenceConsoleFormatter();
        var exception = new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException(111));
        var entry = new Microsoft.Extensions.Logging.Abstractions.LogEntry<string>(
            LogLevel.Warning, "Polly", new EventId(3), "Execution attempt failed;\nretrying in 2s", exception, (state, _) => state);
        using var writer = new StringWriter();

        formatter.Write(entry, null, writer);

        Assert.Equal("warning: Execution attempt failed; retrying in 2s" + Environment.NewLine, writer.ToString());
    }

    [Theory]
    [InlineData("--command", "--command needs a value")]
    [InlineData("--user", "--user needs a value")]
    [InlineData("list", "unknown argument `list`")]
    public void Explains_what_is_wrong(string argument, string expected)
    {
        var parsed = ShellArguments.Parse([argument]);

        Assert.Equal(expected, parsed.Error);
    }

    [Fact]
    public void Help_shows_usage()
    {
        Assert.True(ShellArguments.Parse(["--help"]).ShowUsage);
        Assert.Contains("--command", ShellArguments.Usage);
    }
}
