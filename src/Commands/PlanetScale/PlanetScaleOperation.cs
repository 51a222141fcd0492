namespace PscaleBot.Commands.PlanetScale;

/// <summary>
/// One PlanetScale call described for people: what it does, which resource a 404 refers to, which access the
/// bot's credentials need, and whether it sends a change that must not be repeated blindly.
/// </summary>
/// <param name="Action">What the bot was doing, e.g. "delete token `abc123def456` in organization `acme`".</param>
/// <param name="Organization">The organization in the path, or null for <c>GET /organizations</c>.</param>
/// <param name="NotFoundSubject">The resource a 404 names, e.g. "token `abc123def456` was not found in organization `acme`".</param>
/// <param name="RequiredAccess">The service-token access the call needs, e.g. <c>read_service_tokens</c>.</param>
/// <param name="IsPost">True for a POST: never retried, so a timeout or 5xx leaves its outcome unknown.</param>
/// <param name="CheckHint">What to run to see whether a change happened, e.g. "run `show-access abc123def456`".</param>
internal sealed record PlanetScaleOperation(
    string Action,
    string? Organization,
    string NotFoundSubject,
    string? RequiredAccess,
    bool IsPost,
    string? CheckHint)
{
    /// <summary>True when the call targets a token (not just the organization).</summary>
    public bool TargetsToken { get; init; }

    public static PlanetScaleOperation ListTokens(string org) => new(
        $"list the service tokens of organization {Code(org)}", org, $"organization {Code(org)} was not found", "read_service_tokens", false, null);

    public static PlanetScaleOperation CreateToken(string org) => new(
        $"create a service token in organization {Code(org)}", org, $"organization {Code(org)} was not found", "write_service_tokens", true,
        "run `list` to check whether the token was created");

    public static PlanetScaleOperation GetToken(string org, string id) => ForToken(
        $"fetch token {Code(id)} in organization {Code(org)}", org, id, "read_service_tokens", false, null);

    public static PlanetScaleOperation DeleteToken(string org, string id) => ForToken(
        $"delete token {Code(id)} in organization {Code(org)}", org, id, "delete_service_tokens", false,
        $"run `show {id}` to check whether the token is gone");

    public static PlanetScaleOperation GetAccess(string org, string id) => ForToken(
        $"fetch the access of token {Code(id)} in organization {Code(org)}", org, id, "read_service_tokens", false, null);

    public static PlanetScaleOperation GetGrants(string org, string id) => ForToken(
        $"fetch the grants of token {Code(id)} in organization {Code(org)}", org, id, "read_service_tokens", false, null);

    public static PlanetScaleOperation AddAccess(string org, string id, string? database) => new(
        $"add access to token {Code(id)} on {Scope(org, database)}", org, NotFoundForAccess(org, id, database), "write_service_tokens", true,
        $"run `show-access {id}` to check whether it happened")
    { TargetsToken = true };

    public static PlanetScaleOperation DeleteAccess(string org, string id, string? database) => new(
        $"remove access from token {Code(id)} on {Scope(org, database)}", org, NotFoundForAccess(org, id, database), "write_service_tokens", false,
        $"run `show-access {id}` to check whether it happened")
    { TargetsToken = true };

    public static PlanetScaleOperation ListOrganizations() => new(
        "list the organizations the bot can see", null, "the organizations list was not found", null, false, null);

    public static PlanetScaleOperation ListDatabases(string org) => new(
        $"list the databases of organization {Code(org)}", org, $"organization {Code(org)} was not found", "read_databases", false, null);

    public static PlanetScaleOperation ListAuditLog(string org) => new(
        $"read the audit log of organization {Code(org)}", org, $"organization {Code(org)} was not found", "read_audit_logs", false, null);

    /// <summary>Wraps a name in backticks for chat, dropping backticks inside it so the markup cannot break.</summary>
    public static string Code(string value) => "`" + value.Replace("`", "", StringComparison.Ordinal) + "`";

    private static PlanetScaleOperation ForToken(string action, string org, string id, string access, bool isPost, string? hint) =>
        new(action, org, $"token {Code(id)} was not found in organization {Code(org)}", access, isPost, hint) { TargetsToken = true };

    private static string Scope(string org, string? database) =>
        string.IsNullOrEmpty(database) ? $"organization {Code(org)}" : $"database {Code(database)} in organization {Code(org)}";

    private static string NotFoundForAccess(string org, string id, string? database) =>
        string.IsNullOrEmpty(database)
            ? $"token {Code(id)} was not found in organization {Code(org)}"
            : $"token {Code(id)} or database {Code(database)} was not found in organization {Code(org)}";
}
