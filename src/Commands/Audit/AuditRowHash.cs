using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PscaleBot.Commands.Audit;

/// <summary>
/// The hash that chains audit rows: <c>row_hash = SHA-256(canonical(row) ‖ prev_hash)</c>, as lowercase hex.
/// </summary>
/// <remarks>
/// Canonical form, version 1 (never change it; a new form needs a new magic and a migration):
/// <list type="number">
/// <item>the 19 ASCII bytes <c>pscalebot-audit-v1\n</c>;</item>
/// <item>then each field, in this order, as a 4-byte big-endian length followed by its UTF-8 bytes (a null field is the
/// length <c>0xFFFFFFFF</c> and no bytes, so null and empty differ; length prefixes mean no text can shift into the
/// next field): <c>time_ms</c> (decimal, invariant culture), <c>time</c> (UTC, <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>:
/// whole microseconds, the finest both engines keep), <c>platform</c>, <c>place</c>, <c>user_id</c>, <c>command</c>,
/// <c>decision</c>, <c>reason</c>, <c>outcome</c>;</item>
/// <item>then the number of request ids (4-byte big-endian) and each request id length-prefixed as above;</item>
/// <item>then the previous row's hash as 32 raw bytes (<see cref="Genesis"/>, all zeros, for the first chained row).</item>
/// </list>
/// The row id is not hashed (PostgreSQL assigns it on insert); order is checked through <c>prev_hash</c> instead.
/// The values hashed are the stored ones (already scrubbed of secrets).
/// </remarks>
public static class AuditRowHash
{
    /// <summary>The <c>prev_hash</c> of the first chained row: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The time format hashed (and the precision stored).</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("pscalebot-audit-v1\n");

    /// <summary><paramref name="time"/> cut to whole microseconds, in UTC: what both engines store and the hash covers.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>The hex SHA-256 of <paramref name="entry"/> (as stored) chained to <paramref name="previousHash"/>.</summary>
    public static string Compute(AuditEntry entry, string previousHash)
    {
        var time = ToStoredPrecision(entry.Time);
        using var buffer = new MemoryStream();
        buffer.Write(Magic);
        Field(buffer, time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Field(buffer, time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
        Field(buffer, entry.Platform);
        Field(buffer, entry.Place);
        Field(buffer, entry.UserId);
        Field(buffer, entry.Command);
        Field(buffer, entry.Decision);
        Field(buffer, entry.Reason);
        Field(buffer, entry.Outcome);
        Length(buffer, (uint)entry.RequestIds.Count);
        foreach (var id in entry.RequestIds)
        {
            Field(buffer, id);
        }

        buffer.Write(Convert.FromHexString(previousHash));
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void Field(MemoryStream buffer, string? value)
    {
        if (value is null)
        {
            Length(buffer, uint.MaxValue);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Length(buffer, (uint)bytes.Length);
        buffer.Write(bytes);
    }

    private static void Length(MemoryStream buffer, uint length)
    {
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, length);
        buffer.Write(prefix);
    }
}
