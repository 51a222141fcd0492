using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Tests.Policy;

public sealed class PolicyDurationTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("15m", 15 * 60)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("1d2h3m4s", 86400 + 7200 + 180 + 4)]
    public void Parses(string text, int seconds)
    {
        Assert.True(PolicyDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("h")]
    [InlineData("0m")]
    [InlineData("2 hours")]
    [InlineData("2H")]
    [InlineData("30m2h")]
    [InlineData("1h1h")]
    [InlineData("-1h")]
    [InlineData("1w")]
    [InlineData("9999999h")]
    public void Rejects(string text) => Assert.False(PolicyDuration.TryParse(text, out _));

    [Theory]
    [InlineData(90 * 60, "1h30m")]
    [InlineData(86400 + 3600, "1d1h")]
    [InlineData(45, "45s")]
    public void Formats_the_way_it_parses(int seconds, string text)
    {
        Assert.Equal(text, PolicyDuration.Format(TimeSpan.FromSeconds(seconds)));
        Assert.True(PolicyDuration.TryParse(text, out var back));
        Assert.Equal(TimeSpan.FromSeconds(seconds), back);
    }
}
