using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Commands.Tests.Results.Rendering;

public sealed class RelativeTimeTests
{
    private static readonly DateTimeOffset Now = ResultSamples.Now;

    [Theory]
    [InlineData(0, "now")]
    [InlineData(-0.5, "now")]
    [InlineData(-1, "1 second ago")]
    [InlineData(-59, "59 seconds ago")]
    [InlineData(-60, "1 minute ago")]
    [InlineData(-19 * 60, "19 minutes ago")]
    [InlineData(3600, "1 hour from now")]
    [InlineData(-2 * 3600, "2 hours ago")]
    [InlineData(-86400, "1 day ago")]
    [InlineData(2 * 86400, "2 days from now")]
    [InlineData(-7 * 86400, "1 week ago")]
    [InlineData(-29 * 86400, "4 weeks ago")]
    [InlineData(-30 * 86400, "1 month ago")]
    [InlineData(-359 * 86400, "11 months ago")]
    [InlineData(-360 * 86400, "1 year ago")]
    [InlineData(-540 * 86400, "2 years ago")]
    [InlineData(-1100 * 86400, "3 years ago")]
    [InlineData(-37 * 360 * 86400.0, "a long while ago")]
    public void Words_differences_as_go_humanize_does(double seconds, string expected)
    {
        Assert.Equal(expected, RelativeTime.Describe(Now.AddSeconds(seconds), Now));
    }

    [Fact]
    public void No_time_is_an_empty_cell()
    {
        Assert.Equal("", RelativeTime.Describe((DateTimeOffset?)null, Now));
    }
}
