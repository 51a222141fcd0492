using PscaleBot.Commands.PlanetScale.Api;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>Maps PlanetScale's grant rows to <see cref="TokenGrant"/> (kept apart so the service stays small).</summary>
internal static class PlanetScaleGrantMapping
{
    /// <summary>The domain grant of one row of <c>GET …/grants</c>.</summary>
    public static TokenGrant ToGrant(TokenGrantDto dto, string organization)
    {
        var kind = ResourceKindReader.Read(dto.ResourceType) ?? throw UnknownKind(dto.ResourceType, null);
        var name = string.IsNullOrEmpty(dto.ResourceName)
            ? kind == ResourceKind.Organization ? organization : throw new PlanetScaleAnswerException("a database grant named no database")
            : dto.ResourceName;
        var permissions = (dto.Accesses ?? []).Select(a => a.Access).Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!).ToList();
        return new TokenGrant(name, kind, permissions);
    }

    /// <summary>The refusal of a resource type the bot does not know.</summary>
    public static PlanetScaleAnswerException UnknownKind(string? type, string? access) =>
        new(type is null
            ? $"an access row{(access is null ? "" : $" (`{access}`)")} did not say whether it is on a database or on the organization"
            : $"PlanetScale reported access on a resource of type `{new string([.. type.Take(40).Where(c => !char.IsControl(c) && c != '`')])}`, which this bot does not know yet (it knows Database and Organization)");
}
