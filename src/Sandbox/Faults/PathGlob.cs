using System.Text.RegularExpressions;

namespace PscaleBot.Sandbox.Faults;

/// <summary>Matches request paths against the globs of <see cref="ForcedFault.Path"/>.</summary>
internal static class PathGlob
{
    /// <summary>True when <paramref name="path"/> matches <paramref name="glob"/>.</summary>
    public static bool IsMatch(string glob, string path)
    {
        var pattern = "^" + Regex.Escape(glob).Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(path.Length > 1 ? path.TrimEnd('/') : path, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
