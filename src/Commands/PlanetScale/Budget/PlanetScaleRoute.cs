namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>A request's route template (<c>GET /organizations/{}/service-tokens/{}/access</c>): names what was called, never whom.</summary>
public static class PlanetScaleRoute
{
    private static readonly HashSet<string> Collections = new(StringComparer.Ordinal)
    {
        "v1", "organizations", "service-tokens", "access", "grants", "databases",
    };

    /// <summary>The template of <paramref name="request"/>: fixed path segments kept, every other one replaced by <c>{}</c>.</summary>
    public static string Of(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var segments = (request.RequestUri?.AbsolutePath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s != "v1")
            .Select(s => Collections.Contains(s) ? s : "{}");
        return request.Method.Method + " /" + string.Join('/', segments);
    }
}
