using PscaleBot.Commands.Access;

namespace PscaleBot.Commands.Tests.Access;

public sealed class AccessIdGeneratorTests
{
    [Fact]
    public void The_alphabet_has_no_look_alikes_or_capitals()
    {
        foreach (var confusable in "01ilo")
        {
            Assert.DoesNotContain(confusable, AccessIdGenerator.Alphabet);
        }

        Assert.DoesNotContain(AccessIdGenerator.Alphabet, char.IsUpper);
        Assert.Equal(AccessIdGenerator.Alphabet.Length, AccessIdGenerator.Alphabet.Distinct().Count());
    }

    [Fact]
    public async Task Ids_are_short_prefixed_and_unique_against_the_store()
    {
        var store = new InMemoryAccessStore();
        var generator = new AccessIdGenerator(store);
        var seen = new HashSet<string>();
        for (var i = 0; i < 3000; i++)
        {
            var id = await generator.NewRequestIdAsync(default);
            Assert.Matches("^r-[23456789abcdefghjkmnpqrstuvwxyz]{4,}$", id);
            Assert.True(seen.Add(id), $"{id} was handed out twice");
            await store.InsertRequestAsync(AccessStoreTests.Request(id), default);
        }

        Assert.All(seen, id => Assert.Equal(6, id.Length));
        Assert.StartsWith("g-", await generator.NewGrantIdAsync(default), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_short_id_is_taken_it_grows_instead_of_failing()
    {
        var generator = new AccessIdGenerator(new EveryShortIdTaken());
        var id = await generator.NewRequestIdAsync(default);
        Assert.Equal(7, id.Length);
    }

    [Theory]
    [InlineData("r-7kq2", "r-7kq2")]
    [InlineData("  R-7KQ2 ", "r-7kq2")]
    [InlineData("7kq2", "r-7kq2")]
    [InlineData("r-7kq", null)]
    [InlineData("r-7kq0", null)]
    [InlineData("g-7kq2", null)]
    [InlineData("", null)]
    [InlineData("r-'; drop", null)]
    public void Typed_ids_are_normalised_or_rejected(string typed, string? expected) =>
        Assert.Equal(expected, AccessIdGenerator.Normalize(typed, AccessIdGenerator.RequestPrefix));

    /// <summary>A store where every four-character id exists.</summary>
    private sealed class EveryShortIdTaken : IAccessStore
    {
        public Task<bool> IdExistsAsync(string id, CancellationToken cancellationToken) => Task.FromResult(id.Length <= 6);

        public Task InsertRequestAsync(AccessRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<AccessRequest?> GetRequestAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> TryUpdateRequestAsync(AccessRequest request, long expectedVersion, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<AccessRequest>> ListPendingRequestsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task InsertGrantAsync(AccessGrant grant, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> TrySettleRequestWithGrantAsync(AccessRequest request, long expectedRequestVersion, AccessGrant grant, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<AccessGrant?> GetGrantAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> TryUpdateGrantAsync(AccessGrant grant, long expectedVersion, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> TryEndGrantAsync(AccessGrant ended, long expectedVersion, IReadOnlyList<GrantUpdate> heirs, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<AccessGrant>> ListActiveGrantsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<AccessGrant>> ListActiveGrantsOnTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<AccessGrant>> ListEndedGrantsAsync(DateTimeOffset since, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<AccessGrant?> TryClaimGrantAsync(string grantId, RevokeClaim claim, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
