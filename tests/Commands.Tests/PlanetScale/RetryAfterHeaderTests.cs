using System.Net.Http.Headers;
using PscaleBot.Commands.Http;

namespace PscaleBot.Commands.Tests.PlanetScale;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reads_delay_seconds()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", "12");

        Assert.Equal(TimeSpan.FromSeconds(12), RetryAfterHeader.Read(response, Now));
    }

    [Fact]
    public void Reads_an_http_date_relative_to_now()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", "Sat, 28 Nov 2026 18:00:45 GMT");

        Assert.Equal(TimeSpan.FromSeconds(45), RetryAfterHeader.Read(response, Now));
    }

    [Fact]
    public void A_date_in_the_past_means_now()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddMinutes(-1));

        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Read(response, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    public void Missing_or_unreadable_means_no_advice(string? value)
    {
        using var response = new HttpResponseMessage();
        if (value is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", value);
        }

        Assert.Null(RetryAfterHeader.Read(response, Now));
    }
}
