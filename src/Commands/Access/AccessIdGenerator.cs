using System.Security.Cryptography;

namespace PscaleBot.Commands.Access;

/// <summary>
/// Short ids people can read aloud and type on a phone at 3 a.m.: a kind prefix and four characters from
/// an alphabet without look-alikes (no 0/o, 1/l/i, no upper case), checked against the store for collisions.
/// </summary>
public sealed class AccessIdGenerator(IAccessStore store)
{
    /// <summary>Lower-case letters and digits minus 0, 1, i, l and o.</summary>
    public const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";

    /// <summary>Prefix of request ids.</summary>
    public const string RequestPrefix = "r-";

    /// <summary>Prefix of grant ids.</summary>
    public const string GrantPrefix = "g-";

    private const int BaseLength = 4;
    private const int AttemptsPerLength = 8;

    /// <summary>A new request id not used by any request or grant.</summary>
    public Task<string> NewRequestIdAsync(CancellationToken cancellationToken) => NewIdAsync(RequestPrefix, cancellationToken);

    /// <summary>A new grant id not used by any request or grant.</summary>
    public Task<string> NewGrantIdAsync(CancellationToken cancellationToken) => NewIdAsync(GrantPrefix, cancellationToken);

    /// <summary>
    /// The id as stored, from what someone typed: trimmed, lower-cased, with a missing prefix tolerated
    /// (<c>7KQ2</c> → <c>r-7kq2</c>), or null when it cannot be an id.
    /// </summary>
    public static string? Normalize(string? typed, string prefix)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }

        var text = typed.Trim().ToLowerInvariant();
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            text = prefix + text;
        }

        var body = text.AsSpan(prefix.Length);
        if (body.Length is < BaseLength or > 12)
        {
            return null;
        }

        foreach (var c in body)
        {
            if (!Alphabet.Contains(c))
            {
                return null;
            }
        }

        return text;
    }

    private async Task<string> NewIdAsync(string prefix, CancellationToken cancellationToken)
    {
        // Four characters give 31^4 ≈ 923k ids; when a crowded store keeps colliding, grow the id rather than fail.
        for (var length = BaseLength; ; length++)
        {
            for (var attempt = 0; attempt < AttemptsPerLength; attempt++)
            {
                var id = prefix + RandomNumberGenerator.GetString(Alphabet, length);
                if (!await store.IdExistsAsync(id, cancellationToken))
                {
                    return id;
                }
            }
        }
    }
}
