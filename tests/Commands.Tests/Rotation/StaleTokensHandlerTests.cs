using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Execution.Handlers;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;
using PscaleBot.Commands.Stale;
using PscaleBot.Commands.Tests.Execution.Fakes;

namespace PscaleBot.Commands.Tests.Rotation;

/// <summary><c>service-token stale</c>: which tokens count as stale, in which order, with what, in every format.</summary>
public sealed class StaleTokensHandlerTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryPlanetScale planetScale;
    private readonly string usedLately, usedLongAgo, neverUsedOld, neverUsedNew;

    public StaleTokensHandlerTests()
    {
        planetScale = new InMemoryPlanetScale(time);
        planetScale.AddOrganization("acme", "prod");
        var now = time.GetUtcNow();
        usedLately = planetScale.SeedToken("acme", "lately", now.AddDays(-300), lastUsedAt: now.AddDays(-2));
        usedLongAgo = planetScale.SeedToken("acme", "long-ago", now.AddDays(-300), lastUsedAt: now.AddDays(-100), expiresAt: now.AddDays(30));
        neverUsedOld = planetScale.SeedToken("acme", null, now.AddDays(-200));
        neverUsedNew = planetScale.SeedToken("acme", "fresh", now.AddDays(-10));
        planetScale.Grant("acme", usedLongAgo, "prod", "read_branch", "connect_branch");
    }

    private async Task<StaleTokenTable> StaleAsync(TimeSpan unusedFor)
    {
        var handler = new StaleTokensHandler(new StaleTokenFinder(planetScale, time));
        var command = new StaleTokensCommand(CommonOptions.Default, unusedFor);
        var context = new CommandContext(new ChatRequest(RotationWorld.Alice, ChatPlace.Shell, "service-token stale"), "acme", new PolicyDecision.Allowed(["admin"]));
        var outcome = await handler.HandleAsync(command, context, default);
        return Assert.IsType<StaleTokenTable>(Assert.Single(outcome.Results));
    }

    [Fact]
    public async Task Tokens_unused_since_the_cut_off_or_never_used_and_older_are_stale_stalest_first_with_their_grants()
    {
        var table = await StaleAsync(TimeSpan.FromDays(90));

        Assert.Equal([neverUsedOld, usedLongAgo], table.Tokens.Select(t => t.Token.Id));
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromDays(90), table.Cutoff);
        var grant = Assert.Single(table.Tokens[1].Grants);
        Assert.Equal(["read_branch", "connect_branch"], grant.Permissions);
        Assert.DoesNotContain(table.Tokens, t => t.Token.Id == usedLately || t.Token.Id == neverUsedNew);
    }

    [Fact]
    public async Task A_shorter_cut_off_finds_more()
    {
        var table = await StaleAsync(TimeSpan.FromDays(7));
        Assert.Equal([neverUsedOld, usedLongAgo, neverUsedNew], table.Tokens.Select(t => t.Token.Id));
    }

    [Fact]
    public async Task Csv_and_json_carry_last_use_creation_expiry_and_grants()
    {
        var table = await StaleAsync(TimeSpan.FromDays(90));

        var csv = new CsvResultFormatter().Format(table).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ID,Name,LastUsedAt,CreatedAt,ExpiresAt,Grants", csv[0].TrimEnd('\r'));
        Assert.Equal($"{usedLongAgo},long-ago,2026-08-20T12:00:00Z,2026-02-01T12:00:00Z,2026-12-28T12:00:00Z,prod: read_branch connect_branch", csv[2].TrimEnd('\r'));
        Assert.StartsWith($"{neverUsedOld},,,", csv[1], StringComparison.Ordinal);

        var json = new JsonResultFormatter().Format(table);
        Assert.Contains("\"last_used_at\": null", json, StringComparison.Ordinal);
        Assert.Contains("\"grants\"", json, StringComparison.Ordinal);

        var human = new HumanTextFormatter(time).Format(table);
        Assert.Contains("LAST USED AT", human, StringComparison.Ordinal);
        Assert.Contains("prod: read_branch connect_branch", human, StringComparison.Ordinal);
        Assert.Equal("Service tokens in acme unused for 90d (since 2026-08-30 12:00 UTC)", PscaleBot.Commands.Results.Tables.TableViews.For(table).Title);
    }
}
