namespace PscaleBot.Commands.PlanetScale.Reads;

/// <summary>What makes two reads the same: the credential, the organization and the endpoint with its arguments.</summary>
/// <param name="Credential">The credential's non-secret key.</param>
/// <param name="Organization">The organization in the path, or null for reads outside one (the organizations list).</param>
/// <param name="Endpoint">The operation and its arguments, e.g. <c>access/abc123def456</c>.</param>
/// <param name="TokenId">The service token the read is about (its access, grants or record), or null for lists.</param>
public sealed record PlanetScaleReadKey(string Credential, string? Organization, string Endpoint, string? TokenId = null)
{
    /// <summary>The metric name of the operation: the endpoint without its arguments.</summary>
    public string Operation => Endpoint.Split('/')[0];
}
