using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Tests.Results.Rendering;

/// <summary>One result of every kind, with times relative to <see cref="Now"/>.</summary>
public static class ResultSamples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public const string Secret = "pscale_tkn_GOLDENsecretVALUE0123456789abcdef";

    public static IReadOnlyDictionary<string, CommandResult> All { get; } = new Dictionary<string, CommandResult>
    {
        ["tokens-list"] = new TokenTable("acme", TokenTableKind.List,
        [
            new ServiceToken("hnmkbklsndgi", "my_token", Now.AddDays(-3), Now.AddHours(2), Now.AddMinutes(-19)),
            new ServiceToken("txhc257pxjuc", null, Now.AddDays(-400), null, null),
        ]),
        ["tokens-list-many"] = new TokenTable("acme", TokenTableKind.List,
        [
            new ServiceToken("aaaaaaaaaaa1", "one", Now.AddSeconds(-30), null, null),
            new ServiceToken("aaaaaaaaaaa2", "two", Now.AddMinutes(-90), null, Now.AddSeconds(-1)),
            new ServiceToken("aaaaaaaaaaa3", "three", Now.AddDays(-10), Now.AddDays(20), null),
            new ServiceToken("aaaaaaaaaaa4", "four", Now.AddDays(-45), null, Now.AddDays(-8)),
            new ServiceToken("aaaaaaaaaaa5", "five", Now.AddDays(-800), null, null),
        ]),
        ["token-show"] = new TokenTable("acme", TokenTableKind.Show,
        [
            new ServiceToken("hnmkbklsndgi", "my_token", new DateTimeOffset(2026, 11, 20, 8, 30, 15, 250, TimeSpan.Zero), null, Now.AddHours(-5)),
        ]),
        ["token-created"] = new TokenTable("acme", TokenTableKind.Created,
        [
            new ServiceToken("hnmkbklsndgi", "ci-deploy", Now, Now.AddHours(1), null, new TokenSecret(Secret)),
        ]),
        ["permissions-show"] = new PermissionTable("acme", "hnmkbklsndgi",
        [
            new PermissionRow("analytics", ResourceKind.Database, [new("read_branch"), new("connect_branch")]),
            new PermissionRow("staging", ResourceKind.Database, [new("read_deploy_request")]),
            new PermissionRow("acme", ResourceKind.Organization, [new("read_organization"), new("read_databases")]),
        ]),
        ["permissions-added"] = new PermissionTable("acme", "hnmkbklsndgi",
        [
            new PermissionRow("prod", ResourceKind.Database, [new("read_branch"), new("create_branch", PermissionChange.Added), new("delete_branch", PermissionChange.Added)]),
            new PermissionRow("acme", ResourceKind.Organization, [new("read_databases")]),
        ]),
        ["permissions-removed"] = new PermissionTable("acme", "hnmkbklsndgi",
        [
            new PermissionRow("prod", ResourceKind.Database, [new("read_branch"), new("create_branch", PermissionChange.Removed), new("connect_branch", PermissionChange.Removed)]),
            new PermissionRow("staging", ResourceKind.Database, [new("read_branch")]),
        ]),
        ["message-deleted"] = new MessageResult(CliMessages.TokenDeleted, MessageTone.Success),
        ["message-no-tokens"] = new MessageResult(CliMessages.NoTokens),
        ["message-warning"] = new MessageResult("Copy the token now, \"once\": it is shown only once.", MessageTone.Warning),
        ["error-usage"] = new ErrorResult(
            "unknown permission \"read_branches\"",
            "Did you mean read_branch? (Service tokens use singular names.)",
            "pscale service-token add-access <TOKEN_ID> <PERMISSION>... [--database DB]",
            ErrorCategory.Usage),
        ["error-api"] = new ErrorResult("Token nosuchtoken1 does not exist in organization acme.", "Check the token id with `service-token list`.", null, ErrorCategory.Api),
        ["help"] = new HelpResult("Create, list, and manage access for service tokens\n\nUsage:\n  pscale service-token <command> [flags]\n\nAvailable Commands:\n  list        list service tokens for the organization\n  show-access fetch a service token and its accesses\n"),
        ["whoami"] = new WhoAmIResult(
            new ChatIdentity(ChatPlatform.Slack, "slack:user:UALICE", ["slack:usergroup:SADMINS"], "Alice", "slack:team:T1"),
            new ChatPlace(["slack:channel:CADMINS", "slack:team:T1"], false, "#db-admins"),
            ["db-admin", "viewer"],
            "acme"),
        ["dry-run"] = new DryRunResult(
            "allowed (roles: db-admin)", "POST", "/v1/organizations/acme/service-tokens/hnmkbklsndgi/access",
            """{"database":"prod","access":["read_branch","create_branch"]}"""),
        ["audit"] = new AuditTable(
        [
            new AuditEntry(Now.AddMinutes(-2), "slack", "slack:channel:CADMINS", "slack:user:UALICE",
                "service-token add-access hnmkbklsndgi read_branch --database prod", "allowed", "roles: db-admin", "ok", ["req-1", "req-2"]),
            new AuditEntry(Now.AddHours(-3), "teams", "teams:chat:19:x", "teams:user:0001",
                "=HYPERLINK(\"x\"), then \"quoted\"", "unparsed", "unknown command \"=HYPERLINK\": type `help` to see the commands you may run in this place, or ask an admin", "error: usage", []),
        ]),
        ["audit-verify-intact"] = new AuditChainResult(new AuditChainReport(1204, 37, null)),
        ["audit-verify-broken"] = new AuditChainResult(new AuditChainReport(4, 0, new AuditChainBreak(
            5, Now.AddHours(-1), AuditChainBreakKind.Changed, "row 5 (2026-11-28T11:00:00.000000Z): its contents no longer match its hash."))),
        ["access-list"] = new AccessListResult(
        [
            // Given grants first and out of order: every format shows requests first, then grants, soonest first.
            new AccessListRow(AccessListRowKind.Grant, "g-4m9x", "active", "Alice", new AccessTarget("acme", "hnmkbklsndgi", "prod", ["connect_production_branch"]), Now.AddMinutes(90), "INC-42, \"replica lag\""),
            new AccessListRow(AccessListRowKind.Grant, "g-8wtz", "overdue (2 failed revoke attempt(s))", "Bob", new AccessTarget("acme", "txhc257pxjuc", null, ["read_organization", "read_databases"]), Now.AddMinutes(-5), "PlanetScale answered 503"),
            new AccessListRow(AccessListRowKind.Request, "r-7kq2", "pending 1/2", "Carol", new AccessTarget("acme", "hnmkbklsndgi", "prod", ["read_branch", "connect_branch"]), Now.AddMinutes(30), null),
        ], Now),
    };
}
