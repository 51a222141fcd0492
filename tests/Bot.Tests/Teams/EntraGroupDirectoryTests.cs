using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Teams;
using PscaleBot.Bot.Teams.Identity;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>The Entra group directory against a loopback Entra and Graph over HTTPS, on a fake clock.</summary>
public sealed class EntraGroupDirectoryTests : IAsyncLifetime
{
    private const string User = "00000000-0000-0000-0000-0000000000a1";
    private const string Inner = "11111111-0000-0000-0000-000000000001";
    private const string Outer = "11111111-0000-0000-0000-000000000002";
    private const string Third = "11111111-0000-0000-0000-000000000003";

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 3, 20, 0, 0, TimeSpan.Zero));
    private FakeEntraServer entra = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        entra = await FakeEntraServer.StartAsync();
        entra.GroupMembers[Inner] = [User];
        entra.GroupMembers[Outer] = [Inner];
        entra.GroupMembers[Third] = [Outer];
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton(Options.Create(new TeamsOptions { AppId = "app", AppPassword = "secret", AppTenantId = "tenant" }));
        collection.AddEntraGroups(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Teams:Groups:Enabled"] = "true",
            ["Teams:Groups:GraphBaseUrl"] = entra.GraphBaseUrl,
            ["Teams:Groups:AuthorityHost"] = entra.BaseUrl,
        }).Build());
        collection.AddHttpClient(EntraGroupExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(entra.CreateTrustingHandler);
        services = collection.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await entra.DisposeAsync();
    }

    private IEntraGroupDirectory Directory => services.GetRequiredService<IEntraGroupDirectory>();

    private int GraphReads => entra.Requests.Count(r => r.Contains("/transitiveMemberOf/", StringComparison.Ordinal) && !r.Contains("skiptoken", StringComparison.Ordinal));

    [Fact]
    public async Task Nested_groups_are_found_across_pages_and_served_from_memory_until_the_copy_expires()
    {
        var first = await Directory.GroupsOfAsync(User, CancellationToken.None);
        var second = await Directory.GroupsOfAsync(User, CancellationToken.None);

        Assert.True(first.Known);
        Assert.Equal(new[] { Inner, Outer, Third }.Order(), first.Groups.Order());
        Assert.Equal(first.Groups, second.Groups);
        Assert.Equal(1, GraphReads);

        clock.Advance(TimeSpan.FromMinutes(5));
        entra.GroupMembers.TryRemove(Third, out _);
        var later = await Directory.GroupsOfAsync(User, CancellationToken.None);

        Assert.Equal(new[] { Inner, Outer }.Order(), later.Groups.Order());
        Assert.Equal(2, GraphReads);
    }

    [Fact]
    public async Task A_failing_graph_keeps_the_last_known_groups_and_without_them_the_groups_are_unknown()
    {
        await Directory.GroupsOfAsync(User, CancellationToken.None);
        entra.GraphStatus = 503;
        clock.Advance(TimeSpan.FromMinutes(6));

        var kept = await Directory.GroupsOfAsync(User, CancellationToken.None);
        var stranger = await Directory.GroupsOfAsync("22222222-0000-0000-0000-000000000009", CancellationToken.None);

        Assert.True(kept.Known);
        Assert.Equal(3, kept.Groups.Count);
        Assert.False(stranger.Known);
        Assert.Empty(stranger.Groups);
    }

    [Fact]
    public async Task A_refused_client_secret_means_unknown_groups_and_graph_is_not_asked()
    {
        entra.ExpectedClientSecret = "another-secret";

        var membership = await Directory.GroupsOfAsync(User, CancellationToken.None);

        Assert.False(membership.Known);
        Assert.Contains(entra.Requests, r => r.EndsWith("/tenant/oauth2/v2.0/token", StringComparison.Ordinal));
        Assert.Equal(0, GraphReads);
    }
}
