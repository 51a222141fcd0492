using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>
/// Every result kind rendered for Teams, compared with files under Golden/Teams. After an intended change,
/// regenerate with <c>PSCALE_UPDATE_GOLDEN=1 dotnet test --filter TeamsCardGolden</c> and review the diff.
/// </summary>
public sealed class TeamsCardGoldenTests
{
    private static readonly TeamsRenderContext Context = new("Alice Example");

    public static TheoryData<string> Cases => [.. Samples().Keys];

    private static Dictionary<string, (CommandResult Result, OutputFormat Format, bool PlainText)> Samples()
    {
        var caller = new ChatIdentity(ChatPlatform.Teams, $"teams:user:{ActivityJson.UserAad}", [], "Alice Example", $"teams:tenant:{LocalOpenIdServer.TenantId}");
        var place = new ChatPlace([$"teams:channel:{ActivityJson.ChannelId}", $"teams:team:{ActivityJson.TeamId}"], false, "dbops");
        return new()
        {
            ["permission-table"] = (SampleResults.Permissions(), OutputFormat.Human, false),
            ["permission-table-changes"] = (SampleResults.Permissions(changes: true), OutputFormat.Human, false),
            ["permission-table-empty"] = (new PermissionTable("acme", "abc123def456", []), OutputFormat.Human, false),
            ["permission-table-plain-text"] = (SampleResults.Permissions(changes: true), OutputFormat.Human, true),
            ["permission-table-json"] = (SampleResults.Permissions(), OutputFormat.Json, false),
            ["token-list"] = (SampleResults.TokenList(), OutputFormat.Human, false),
            ["token-show"] = (SampleResults.TokenList(1) with { Kind = TokenTableKind.Show }, OutputFormat.Human, false),
            ["token-created"] = (SampleResults.CreatedToken(), OutputFormat.Human, false),
            ["message-success"] = (new MessageResult("Token was successfully deleted.", MessageTone.Success), OutputFormat.Human, false),
            ["error-usage"] = (new ErrorResult("unknown flag: --databse", "Did you mean --database?", "pscale service-token add-access <TOKEN_ID> <PERMISSION>... [--database DB]", ErrorCategory.Usage), OutputFormat.Human, false),
            ["error-denied"] = (new ErrorResult("Your roles here (reader) don't allow add-access in #dbops.", "Ask in a channel where you are an operator, or run `access list`.", null, ErrorCategory.Denied), OutputFormat.Human, false),
            ["help"] = (new HelpResult("Usage:\n  pscale service-token [command]\n\nAvailable Commands:\n  list         List service tokens\n  show-access  Show the access of a token"), OutputFormat.Human, false),
            ["whoami"] = (new WhoAmIResult(caller, place, ["reader", "operator"], "acme"), OutputFormat.Human, false),
            ["dry-run"] = (new DryRunResult("allowed by role operator", "POST", "/v1/organizations/acme/service-tokens/abc123def456/access", "{\"database\":\"prod\",\"access\":[\"read_branch\"]}"), OutputFormat.Human, false),
            ["access-list"] = (AccessList(), OutputFormat.Human, false),
            ["access-list-empty"] = (new AccessListResult([], SampleResults.Created), OutputFormat.Human, false),
            ["audit-verify-broken"] = (new AuditChainResult(new AuditChainReport(4, 0, new AuditChainBreak(
                5, SampleResults.Created, AuditChainBreakKind.Changed, "row 5 (2026-11-28T11:00:00.000000Z): its contents no longer match its hash."))), OutputFormat.Human, false),
            ["stale-tokens"] = (new StaleTokenTable("acme", TimeSpan.FromDays(90), SampleResults.Created.AddDays(-90),
            [
                new StaleToken(new PscaleBot.Commands.PlanetScale.ServiceToken("abc123def456", "ci-deploy", SampleResults.Created.AddDays(-300), null, SampleResults.Created.AddDays(-120)),
                    [new PscaleBot.Commands.PlanetScale.TokenGrant("prod", PscaleBot.Commands.PlanetScale.ResourceKind.Database, ["read_branch", "connect_branch"])]),
            ]), OutputFormat.Human, false),
            ["audit"] = (new AuditTable(
            [
                new AuditEntry(SampleResults.Created, "teams", "teams:channel:19:dbops@thread.tacv2", "teams:user:a1", "service-token add-access abc123def456 read_branch --database prod", "allowed", "operator", "ok", ["req-1"]),
                new AuditEntry(SampleResults.Created.AddMinutes(-5), "slack", "slack:channel:C123", "slack:user:U1", "service-token delete abc123def456", "denied", "no role", "denied", []),
            ]), OutputFormat.Human, false),
        };
    }

    private static AccessListResult AccessList()
    {
        var now = SampleResults.Created;
        var requester = new AccessRequester($"teams:user:{ActivityJson.UserAad}", "Alice Example", ChatPlatform.Teams, $"teams:channel:{ActivityJson.ChannelId}");
        return new AccessListResult(
        [
            new AccessListRow(AccessListRowKind.Grant, "g-7kq2", "active", "Bob Builder", new AccessTarget("acme", "abc123def456", null, ["read_organization"]), now.AddMinutes(90), null),
            new AccessListRow(AccessListRowKind.Request, "r-9xyz", "pending 0/1", requester.DisplayName, new AccessTarget("acme", "abc123def456", "prod", ["read_branch", "create_branch"]), now.AddMinutes(25), "INC-1234 hot fix"),
            new AccessListRow(AccessListRowKind.Grant, "g-abcd", "overdue (2 failed revoke attempt(s))", "Carol", new AccessTarget("acme", "tok000000002", "prod", ["delete_branch"]), now.AddMinutes(-5), "PlanetScale answered 503"),
        ], now);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_result_kind_matches_its_golden_file(string name)
    {
        var (result, format, plainText) = Samples()[name];
        var messages = new TeamsResultRenderer(new FakeTextRenderer(), plainText).Render(result, format, Context);
        var actual = Serialize(messages);

        var file = Path.Combine(AppContext.BaseDirectory, "Golden", "Teams", name + ".json");
        if (Environment.GetEnvironmentVariable("PSCALE_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(SourceTestDirectory(), "Golden", "Teams", name + ".json");
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual);
            return;
        }

        Assert.True(File.Exists(file), $"Missing golden file {name}.json; generate it with PSCALE_UPDATE_GOLDEN=1.");
        Assert.Equal(File.ReadAllText(file).ReplaceLineEndings("\n"), actual);
    }

    [Fact]
    public void Every_result_kind_has_a_golden_case() =>
        Assert.Equal(
            typeof(CommandResult).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CommandResult)) && !t.IsAbstract).Select(t => t.Name).Order(),
            Samples().Values.Where(s => s.Format == OutputFormat.Human).Select(s => s.Result.GetType().Name).Distinct().Order());

    internal static string Serialize(IReadOnlyList<TeamsMessage> messages)
    {
        var array = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
        {
            ["text"] = m.Text,
            ["textFormat"] = m.TextFormat,
            ["card"] = m.Card is null ? null : TeamsWire.Json(m.Card),
        })]);
        return array.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";
    }

    private static string SourceTestDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PscaleBot.Bot.Tests.csproj")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Test project directory not found.");
    }
}
