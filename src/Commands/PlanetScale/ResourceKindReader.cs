namespace PscaleBot.Commands.PlanetScale;

/// <summary>
/// Reads PlanetScale's <c>resource_type</c> ("Database" / "Organization") leniently: any casing, surrounding spaces,
/// a plural, the British spelling, or the row-level type ("DatabaseAccess"). Anything else is not guessed at: a
/// permission on an unknown kind of resource would be misreported, so the caller treats it as an unreadable answer.
/// </summary>
internal static class ResourceKindReader
{
    public static ResourceKind? Read(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var key = new string([.. value.Where(char.IsAsciiLetter)]).ToLowerInvariant();
        if (key.EndsWith("access", StringComparison.Ordinal))
        {
            key = key[..^"access".Length];
        }

        return key switch
        {
            "database" or "databases" => ResourceKind.Database,
            "organization" or "organizations" or "organisation" or "organisations" => ResourceKind.Organization,
            _ => null,
        };
    }
}
