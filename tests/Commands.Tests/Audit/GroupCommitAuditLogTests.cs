using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Tests.Execution;

namespace PscaleBot.Commands.Tests.Audit;

public sealed class GroupCommitAuditLogTests
{
    [Fact]
    public async Task Appends_made_during_a_transaction_share_the_next_one_and_each_returns_only_after_its_commit()
    {
        var store = new GatedStore();
        var audit = new GroupCommitAuditLog(store);

        var first = audit.AppendAsync(Entry("a"), CancellationToken.None);
        var firstBatch = await store.NextBatchAsync();
        var others = new[] { "b", "c", "d" }.Select(c => audit.AppendAsync(Entry(c), CancellationToken.None)).ToList();

        // The transaction carrying "a" has not committed: nobody may go ahead yet.
        Assert.False(first.IsCompleted);
        firstBatch.Commit();
        await first;
        var secondBatch = await store.NextBatchAsync();
        Assert.All(others, o => Assert.False(o.IsCompleted));
        secondBatch.Commit();
        await Task.WhenAll(others);

        Assert.Equal([["a"], ["b", "c", "d"]], store.Written);
        Assert.Equal(2, audit.Batches);
    }

    [Fact]
    public async Task A_failed_transaction_fails_every_append_in_it_and_the_next_one_is_tried_afresh()
    {
        var store = new GatedStore();
        var audit = new GroupCommitAuditLog(store);
        var first = audit.AppendAsync(Entry("a"), CancellationToken.None);
        var firstBatch = await store.NextBatchAsync();
        var second = audit.AppendAsync(Entry("b"), CancellationToken.None);
        var third = audit.AppendAsync(Entry("c"), CancellationToken.None);
        firstBatch.Commit();
        await first;

        (await store.NextBatchAsync()).Fail(new IOException("disk full"));
        await Assert.ThrowsAsync<IOException>(() => second);
        await Assert.ThrowsAsync<IOException>(() => third);

        var fourth = audit.AppendAsync(Entry("d"), CancellationToken.None);
        (await store.NextBatchAsync()).Commit();
        await fourth;
        Assert.Equal([["a"], ["d"]], store.Written);
    }

    [Fact]
    public async Task A_burst_is_cut_into_short_transactions()
    {
        var store = new GatedStore();
        var audit = new GroupCommitAuditLog(store);
        var first = audit.AppendAsync(Entry("first"), CancellationToken.None);
        var blocker = await store.NextBatchAsync();
        var burst = Enumerable.Range(0, GroupCommitAuditLog.MaxBatch + 10).Select(i => audit.AppendAsync(Entry($"r{i}"), CancellationToken.None)).ToList();
        blocker.Commit();
        (await store.NextBatchAsync()).Commit();
        (await store.NextBatchAsync()).Commit();
        await Task.WhenAll(burst.Append(first));

        Assert.Equal([1, GroupCommitAuditLog.MaxBatch, 10], store.Written.Select(b => b.Count));
    }

    [Fact]
    public async Task A_change_whose_started_row_cannot_be_committed_is_still_refused_before_PlanetScale()
    {
        var harness = new PipelineHarness(new GroupCommitAuditLog(new BrokenStore()));

        var (_, response) = await harness.RunAsync("service-token create --name ci");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.StartsWith("The audit log cannot be written, so nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.PlanetScale.Calls);
    }

    [Fact]
    public async Task The_in_memory_store_takes_a_batch_whole()
    {
        var audit = new InMemoryAuditLog();
        await audit.AppendManyAsync([Entry("a"), Entry("b")], CancellationToken.None);
        Assert.Equal(["b", "a"], (await audit.RecentAsync(10, CancellationToken.None)).Select(e => e.Command));
    }

    private static AuditEntry Entry(string command) =>
        new(DateTimeOffset.UnixEpoch, "slack", "slack:channel:C1", "slack:user:U1", command, "allowed", null, "started", []);

    /// <summary>A store whose transactions commit or fail when the test says so.</summary>
    private sealed class GatedStore : IAuditLog
    {
        private readonly Queue<TaskCompletionSource<Batch>> waitingForBatch = new();
        private readonly Queue<Batch> started = new();

        public List<List<string>> Written { get; } = [];

        public Task<Batch> NextBatchAsync()
        {
            lock (started)
            {
                if (started.TryDequeue(out var batch))
                {
                    return Task.FromResult(batch);
                }

                var next = new TaskCompletionSource<Batch>(TaskCreationOptions.RunContinuationsAsynchronously);
                waitingForBatch.Enqueue(next);
                return next.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => AppendManyAsync([entry], cancellationToken);

        public async Task AppendManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
        {
            var batch = new Batch();
            lock (started)
            {
                if (waitingForBatch.TryDequeue(out var waiter))
                {
                    waiter.SetResult(batch);
                }
                else
                {
                    started.Enqueue(batch);
                }
            }

            await batch.Outcome.Task;
            lock (Written)
            {
                Written.Add([.. entries.Select(e => e.Command)]);
            }
        }

        public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<AuditEntry>>([]);
    }

    private sealed class Batch
    {
        public TaskCompletionSource Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Commit() => Outcome.SetResult();

        public void Fail(Exception ex) => Outcome.SetException(ex);
    }

    private sealed class BrokenStore : IAuditLog
    {
        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => throw new IOException("disk full");

        public Task AppendManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) => throw new IOException("disk full");

        public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<AuditEntry>>([]);
    }
}
