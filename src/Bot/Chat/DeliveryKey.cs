using System.Security.Cryptography;
using System.Text;

namespace PscaleBot.Bot.Chat;

/// <summary>
/// The stored form of a delivery key: the SHA-256 of the key, in hex. A Slack command's key holds the command
/// text, which may be long (an index entry has a size limit) and is nobody's business at rest; the digest is
/// 64 characters whatever the key, and equal keys still collide on the unique index as they must.
/// </summary>
public static class DeliveryKey
{
    /// <summary>The lowercase hex SHA-256 of <paramref name="key"/>'s UTF-8 bytes.</summary>
    public static string Digest(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
