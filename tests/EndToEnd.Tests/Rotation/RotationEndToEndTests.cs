using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Rotation;
using PscaleBot.EndToEnd.Tests.Access;
using PscaleBot.EndToEnd.Tests.Support;
using static PscaleBot.EndToEnd.Tests.Access.AccessScenario;

namespace PscaleBot.EndToEnd.Tests.Rotation;

/// <summary>
/// <c>service-token rotate</c> and <c>service-token stale</c> through the real bot, over real HTTP against the sandbox,
/// on a fake clock: the replacement holds exactly the old grants, the old token is gone once the grace is over (and
/// not before), a copy broken halfway by the sandbox's fault injection is reported exactly, and the secret never
/// reaches the audit log, its file or a log record.
/// </summary>
public sealed class RotationEndToEndTests
{
    private static async Task<string> SeedTokenAsync(AccessScenario scenario)
    {
        var created = await scenario.RunAsync(Ada, "service-token create --name etl-nightly --ttl 7d");
        var id = Assert.Single(Assert.IsType<TokenTable>(created.Results[0]).Tokens).Id;
        foreach (var line in new[]
        {
            $"service-token add-access {id} read_branch connect_branch --database prod",
            $"service-token add-access {id} read_branch --database staging",
            $"service-token add-access {id} read_databases",
        })
        {
            var response = await scenario.RunAsync(Ada, line);
            Assert.False(response.IsError, scenario.Render(response));
        }

        return id;
    }

    private static async Task AssertNoSecretStoredOrLoggedAsync(AccessScenario scenario, string secret)
    {
        Assert.False(scenario.Bot.LogsContain(secret), "a log record holds the new secret");
        var audit = await scenario.Bot.Services.GetRequiredService<IAuditLog>().RecentAsync(500, CancellationToken.None);
        Assert.DoesNotContain(audit, e => $"{e.Command} {e.Reason} {e.Outcome}".Contains(secret, StringComparison.Ordinal));
        foreach (var file in Directory.GetFiles(scenario.Bot.DataDirectory, "*.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory);
            Assert.DoesNotContain(secret, Encoding.UTF8.GetString(memory.ToArray()), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_new_token_holds_exactly_the_old_grants_and_the_old_one_is_gone_after_the_grace()
    {
        await using var scenario = await AccessScenario.StartAsync();
        using var sandbox = new SandboxApi(scenario.Bot.Sandbox);
        var old = await SeedTokenAsync(scenario);

        var response = await scenario.RunAsync(Ada, $"service-token rotate {old} --grace 1h");

        Assert.False(response.IsError, scenario.Render(response));
        Assert.Equal(ResponseVisibility.Private, response.Visibility);
        var created = Assert.Single(Assert.IsType<TokenTable>(response.Results[0]).Tokens);
        var secret = created.Secret!.Reveal();
        Assert.Equal("etl-nightly", created.Name);
        Assert.Equal(TimeSpan.FromDays(7), created.ExpiresAt - created.CreatedAt);
        var oldGrants = await sandbox.GrantsByResourceAsync(old);
        Assert.Equal(3, oldGrants.Count);
        Assert.Equal(
            oldGrants.Select(kv => $"{kv.Key}={string.Join(",", kv.Value)}"),
            (await sandbox.GrantsByResourceAsync(created.Id)).Select(kv => $"{kv.Key}={string.Join(",", kv.Value)}"));
        Assert.Contains("acme", oldGrants.Keys);

        // Within the grace the old token still works; the fake clock stops just short of the end.
        scenario.Time.Advance(TimeSpan.FromMinutes(59));
        await using (var scope = scenario.Bot.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TokenRetirementSweeper>().SweepAsync(CancellationToken.None);
        }

        Assert.True(await sandbox.TokenExistsAsync(old));

        await scenario.EventuallyAsync(async () => !await sandbox.TokenExistsAsync(old), "the old token is deleted when the grace ends", nudge: TimeSpan.FromSeconds(30));
        Assert.True(await sandbox.TokenExistsAsync(created.Id));
        var audit = await scenario.Bot.Services.GetRequiredService<IAuditLog>().RecentAsync(50, CancellationToken.None);
        Assert.Contains(audit, e => e.Decision == RotationTransitions.Deleted && e.Command.Contains(old, StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Command.StartsWith("service-token rotate", StringComparison.Ordinal) && e.Outcome.StartsWith("ok: new token " + created.Id, StringComparison.Ordinal));
        await AssertNoSecretStoredOrLoggedAsync(scenario, secret);
    }

    [Fact]
    public async Task A_cancelled_rotation_keeps_the_old_token_after_the_grace_and_after_a_restart()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("pscale-bot-rotate-restart-").FullName;
        try
        {
            var time = NewClock();
            string old, kept;
            await using (var before = await AccessScenario.StartAsync(time, dataDirectory, persistSandbox: true))
            {
                old = await SeedTokenAsync(before);
                Assert.False((await before.RunAsync(Ada, $"service-token rotate {old} --grace 30m")).IsError);
                kept = await SeedTokenAsync(before);
                Assert.False((await before.RunAsync(Ada, $"service-token rotate {kept} --grace 30m")).IsError);
                var cancel = await before.RunAsync(Ada, $"service-token rotate {kept} --cancel");
                Assert.Contains("is cancelled", Text(cancel), StringComparison.Ordinal);
            }

            // Down past the grace: the restarted bot deletes the one still scheduled, and only that one.
            time.Advance(TimeSpan.FromHours(1));
            await using var after = await AccessScenario.StartAsync(time, dataDirectory, persistSandbox: true);
            using var sandbox = new SandboxApi(after.Bot.Sandbox);
            await after.EventuallyAsync(async () => !await sandbox.TokenExistsAsync(old), "the start-up sweep deletes what fell due", nudgeLimit: TimeSpan.Zero);
            Assert.True(await sandbox.TokenExistsAsync(kept));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_copy_broken_halfway_by_the_sandbox_says_exactly_what_exists_and_schedules_nothing()
    {
        await using var scenario = await AccessScenario.StartAsync();
        using var sandbox = new SandboxApi(scenario.Bot.Sandbox);
        var old = await SeedTokenAsync(scenario);
        var before = await sandbox.TokenIdsAsync();
        // The first grant copy goes through; the second answers 500.
        scenario.Bot.Sandbox.Faults.Force("POST", "/v1/organizations/acme/service-tokens/*/access", 500, times: 1, after: 1);

        var response = await scenario.RunAsync(Ada, $"service-token rotate {old} --grace 1h");

        Assert.True(response.IsError);
        var newId = Assert.Single((await sandbox.TokenIdsAsync()).Except(before));
        var created = Assert.Single(Assert.IsType<TokenTable>(response.Results[0]).Tokens);
        Assert.Equal(newId, created.Id);
        var held = await sandbox.GrantsByResourceAsync(newId);
        var copied = Assert.Single(held, kv => kv.Value.Count > 0);
        var error = Assert.IsType<ErrorResult>(response.Results.Last(r => r is ErrorResult));
        Assert.Contains($"new token {newId} was created", error.Message, StringComparison.Ordinal);
        // The copied part names the one resource the new token really holds, and only that one.
        var copiedPart = error.Message[error.Message.IndexOf($"Copied to {newId}: ", StringComparison.Ordinal)..error.Message.IndexOf("Not copied: ", StringComparison.Ordinal)];
        Assert.Contains($" on {(copied.Key == "acme" ? "organization acme" : copied.Key)}.", copiedPart, StringComparison.Ordinal);
        Assert.All(copied.Value, p => Assert.Contains(p, copiedPart, StringComparison.Ordinal));
        Assert.DoesNotContain(";", copiedPart, StringComparison.Ordinal);
        Assert.Contains("Not copied: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("may or may not have landed", error.Message, StringComparison.Ordinal);
        Assert.Contains($"The old token {old} is unchanged and nothing is scheduled", error.Message, StringComparison.Ordinal);
        Assert.Contains($"`service-token delete {newId}`", error.Hint, StringComparison.Ordinal);
        Assert.Equal(ResponseVisibility.Private, response.Visibility);
        Assert.True(copied.Value.Count > 0);

        var audit = await scenario.Bot.Services.GetRequiredService<IAuditLog>().RecentAsync(50, CancellationToken.None);
        var entry = Assert.Single(audit, e => e.Command.StartsWith("service-token rotate", StringComparison.Ordinal) && e.Outcome != "started");
        Assert.StartsWith($"error: partial rotation: new token {newId} exists; copied: ", entry.Outcome, StringComparison.Ordinal);
        Assert.Empty(await scenario.Bot.Services.GetRequiredService<ITokenRetirementStore>().ListOpenAsync(CancellationToken.None));

        scenario.Time.Advance(TimeSpan.FromHours(2));
        await using (var scope = scenario.Bot.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TokenRetirementSweeper>().SweepAsync(CancellationToken.None);
        }

        Assert.True(await sandbox.TokenExistsAsync(old), "a broken rotation never deletes the old token");
        await AssertNoSecretStoredOrLoggedAsync(scenario, created.Secret!.Reveal());
    }

    [Fact]
    public async Task Stale_lists_tokens_by_the_sandbox_last_used_at_with_grants_in_csv()
    {
        await using var scenario = await AccessScenario.StartAsync();
        using var admin = new HttpClient { BaseAddress = scenario.Bot.Sandbox.BaseAddress };
        var now = scenario.Time.GetUtcNow();
        foreach (var (token, lastUsed) in new[] { ("ci7deploy0a1", (DateTimeOffset?)now.AddDays(-120)), ("an4lyt1csro0", now.AddDays(-3)) })
        {
            using var put = await admin.PutAsJsonAsync(
                new Uri(scenario.Bot.Sandbox.BaseAddress, $"/_sandbox/tokens/acme/{token}/usage"), new { lastUsedAt = lastUsed });
            put.EnsureSuccessStatusCode();
        }

        var response = await scenario.RunAsync(Ada, "service-token stale --unused-for 90d --format csv");

        var csv = scenario.Render(response).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("ID,Name,LastUsedAt,CreatedAt,ExpiresAt,Grants", csv[0]);
        var ci = Assert.Single(csv, l => l.StartsWith("ci7deploy0a1,", StringComparison.Ordinal));
        Assert.Contains(",prod: read_branch create_deploy_request read_deploy_request;staging: ", ci, StringComparison.Ordinal);
        Assert.DoesNotContain(csv, l => l.StartsWith("an4lyt1csro0,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_stale_digest_reaches_the_configured_channel_when_its_interval_has_passed()
    {
        await using var scenario = await AccessScenario.StartAsync(settings: new Dictionary<string, string?>
        {
            ["StaleTokens:DigestChannels:0"] = "slack:channel:CDIGEST",
            ["StaleTokens:DigestInterval"] = "01:00:00",
        });
        using var admin = new HttpClient();
        using (var put = await admin.PutAsJsonAsync(
            new Uri(scenario.Bot.Sandbox.BaseAddress, "/_sandbox/tokens/acme/ci7deploy0a1/usage"), new { lastUsedAt = scenario.Time.GetUtcNow().AddDays(-120) }))
        {
            put.EnsureSuccessStatusCode();
        }

        var audit = scenario.Bot.Services.GetRequiredService<IAuditLog>();
        await scenario.EventuallyAsync(
            async () => (await audit.RecentAsync(100, CancellationToken.None)).Any(e => e.Decision == "notice:stale-digest"),
            "the digest goes out after an hour", nudge: TimeSpan.FromMinutes(10), nudgeLimit: TimeSpan.FromHours(2));
        var digest = (await audit.RecentAsync(100, CancellationToken.None)).First(e => e.Decision == "notice:stale-digest");
        Assert.Equal("slack:channel:CDIGEST", digest.Place);
        Assert.Contains("• ci7deploy0a1 (ci-deploy): last used ", digest.Command, StringComparison.Ordinal);
        Assert.Contains("read_branch, create_deploy_request, read_deploy_request on prod", digest.Command, StringComparison.Ordinal);
    }
}
