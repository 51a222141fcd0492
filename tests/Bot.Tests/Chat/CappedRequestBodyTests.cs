using Microsoft.AspNetCore.Http;
using PscaleBot.Bot.Chat;

namespace PscaleBot.Bot.Tests.Chat;

public sealed class CappedRequestBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(40_000)]
    public async Task A_body_up_to_the_cap_is_read_whole(int size)
    {
        var bytes = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
        var body = await CappedRequestBody.ReadAsync(Request(bytes, announce: true), 40_000, CancellationToken.None);
        Assert.Equal(bytes, body);
    }

    [Fact]
    public async Task An_announced_oversize_body_is_refused_without_reading()
    {
        var request = Request(new byte[11], announce: true);
        Assert.Null(await CappedRequestBody.ReadAsync(request, 10, CancellationToken.None));
        Assert.Equal(0, request.Body.Position);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(40_001)]
    public async Task An_unannounced_oversize_body_is_refused_while_reading(int size)
    {
        // Chunked uploads carry no Content-Length: the cap must hold while streaming.
        Assert.Null(await CappedRequestBody.ReadAsync(Request(new byte[size], announce: false), size - 1, CancellationToken.None));
    }

    [Fact]
    public void Too_large_is_413()
    {
        var result = Assert.IsAssignableFrom<IStatusCodeHttpResult>(CappedRequestBody.TooLarge());
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, result.StatusCode);
    }

    private static HttpRequest Request(byte[] bytes, bool announce)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = announce ? bytes.Length : null;
        return context.Request;
    }
}
