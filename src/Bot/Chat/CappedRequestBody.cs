namespace PscaleBot.Bot.Chat;

/// <summary>
/// Reads a request body into memory with a size cap, for every chat receiver: signatures, HMACs and token
/// checks need the exact bytes, and a body past the cap is refused before it is buffered.
/// </summary>
public static class CappedRequestBody
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>The body, or null when it is (or announces itself as) larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The answer to a body that was too large: 413, the same for every receiver.</summary>
    public static IResult TooLarge() => Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
}
