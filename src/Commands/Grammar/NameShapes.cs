using System.Text.RegularExpressions;

namespace PscaleBot.Commands.Grammar;

/// <summary>The shapes a typed ID or name must have before it is sent anywhere.</summary>
internal static partial class NameShapes
{
    /// <summary>True for a token, request or grant ID: 1 to 64 letters, digits, <c>-</c> and <c>_</c>.</summary>
    public static bool IsId(string value) => IdShape().IsMatch(value);

    /// <summary>True for an organization or database name: a letter or digit, then up to 63 letters, digits, <c>_</c>, <c>.</c> and <c>-</c>.</summary>
    public static bool IsResourceName(string value) => ResourceNameShape().IsMatch(value);

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdShape();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceNameShape();
}
