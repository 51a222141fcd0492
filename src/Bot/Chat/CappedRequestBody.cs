using System.Buffers;

namespace PscaleBot.Bot.Chat;

/// <summary>
/// Reads a request body into memory with a size cap, for every chat receiver: signatures, HMACs and token
/// checks need the exact bytes, and a body past the cap is refused before it is buffered.
/// </summary>
public static class CappedRequestBody
{
    /// <summary>The body, or null when it is (or announces itself as) larger than <paramref name="maxBytes"/>.</summary>
    /// <remarks>
    /// The bytes stay in the server's pooled pipe buffers until the body is complete, and are copied once into an
    /// array of the exact size: this runs for every slash command and click, and a fixed 16 KB chunk plus a growing
    /// stream here was a fifth of all the bot allocated per command under load (docs/benchmarks.md).
    /// </remarks>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > maxBytes)
            {
                // A chunked body carries no length: the cap holds while it streams in.
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (read.IsCanceled)
            {
                // Only CancelPendingRead does this, and nothing here calls it: a partial body must never pass as whole.
                throw new OperationCanceledException("The request body's read was cancelled.");
            }

            if (read.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            // Nothing consumed, everything examined: the next read returns this and what follows it.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The answer to a body that was too large: 413, the same for every receiver.</summary>
    public static IResult TooLarge() => Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
}
