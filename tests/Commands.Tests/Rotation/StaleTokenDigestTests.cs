using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Stale;

namespace PscaleBot.Commands.Tests.Rotation;

/// <summary>The scheduled stale-token digest: what it says, where it goes, and which settings are refused.</summary>
public sealed class StaleTokenDigestTests
{
    private readonly RotationWorld world = new();

    private StaleTokenDigestSender Sender(params string[] channels) => new(
        new StaleTokenFinder(world.PlanetScale, world.Time),
        new AccessNotificationDispatcher([world.Notices], NullLogger<AccessNotificationDispatcher>.Instance),
        Options.Create(new StaleDigestOptions { DigestChannels = [.. channels] }),
        Options.Create(new PlanetScaleOptions { DefaultOrganization = "acme" }));

    [Fact]
    public async Task The_digest_names_each_stale_token_with_its_last_use_expiry_and_grants_in_every_configured_channel()
    {
        var now = world.Time.GetUtcNow();
        var stale = world.PlanetScale.SeedToken("acme", "etl", now.AddDays(-400), lastUsedAt: now.AddDays(-120), expiresAt: now.AddDays(10));
        world.PlanetScale.Grant("acme", stale, "prod", "read_branch");
        world.PlanetScale.SeedToken("acme", "busy", now.AddDays(-400), lastUsedAt: now.AddHours(-1));

        var count = await Sender("slack:channel:CDIGEST", "teams:channel:19:abc@thread.tacv2").SendAsync(default);

        Assert.Equal(1, count);
        Assert.Equal(2, world.Notices.Sent.Count);
        Assert.Equal([ChatPlatform.Slack, ChatPlatform.Teams], world.Notices.Sent.Select(n => n.Audience.Platform));
        var text = Assert.IsType<StaleTokenDigestNotice>(world.Notices.Sent[0]).Text;
        Assert.StartsWith("Stale service tokens in acme: 1 not used for 90d", text, StringComparison.Ordinal);
        Assert.Contains($"• {stale} (etl): last used 2026-07-31 12:00:00 UTC, expires 2026-12-08 12:00:00 UTC; grants: read_branch on prod", text, StringComparison.Ordinal);
        Assert.DoesNotContain("busy", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_channel_nothing_is_read_or_sent()
    {
        Assert.Null(await Sender().SendAsync(default));
        Assert.Empty(world.Notices.Sent);
        Assert.Empty(world.PlanetScale.Calls);
    }

    [Fact]
    public void Bad_settings_are_refused_with_one_sentence_naming_each()
    {
        var result = new StaleDigestOptionsValidator().Validate(null, new StaleDigestOptions
        {
            DigestChannels = ["#db-admins", "slack:channel:C1"],
            DigestInterval = TimeSpan.FromMinutes(5),
        });

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("StaleTokens:DigestChannels:0 ('#db-admins') must be a qualified channel id", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("StaleTokens:DigestInterval must be at least", StringComparison.Ordinal));
    }
}
