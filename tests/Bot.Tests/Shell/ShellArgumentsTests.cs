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
