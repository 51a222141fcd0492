using System.Collections.Concurrent;
using PscaleBot.Commands.Batching;

namespace PscaleBot.Commands.Tests.Batching;

public sealed class GroupCommitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A write that records each batch and waits for the test to let the first one finish.</summary>
    private sealed class GatedWrite
    {
        private readonly TaskCompletionSource firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource releaseFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int calls;

        public ConcurrentQueue<int[]> Batches { get; } = new();

        public Func<int, bool> Fails { get; init; } = _ => false;

        public Task FirstStarted => firstStarted.Task;

        public void ReleaseFirst() => releaseFirst.TrySetResult();

        public async Task<IReadOnlyList<string>> WriteAsync(IReadOnlyList<int> batch)
        {
            Batches.Enqueue([.. batch]);
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstStarted.TrySetResult();
                await releaseFirst.Task;
            }

            if (batch.Any(Fails))
            {
                throw new InvalidOperationException("disk full");
            }

            return [.. batch.Select(i => $"row {i}")];
        }
    }

    [Fact]
    public async Task Items_that_arrive_during_a_write_go_together_in_the_next_batch_and_each_caller_gets_its_own_result()
    {
        var write = new GatedWrite();
        var commits = new GroupCommit<int, string>(write.WriteAsync, maxBatch: 100);

        var first = commits.SubmitAsync(1, CancellationToken.None);
        await write.FirstStarted.WaitAsync(Patience);
        var rest = Enumerable.Range(2, 5).Select(i => commits.SubmitAsync(i, CancellationToken.None)).ToList();
        Assert.All(rest, r => Assert.False(r.IsCompleted)); // nothing is confirmed before its batch is written
        write.ReleaseFirst();

        Assert.Equal("row 1", await first.WaitAsync(Patience));
        Assert.Equal(["row 2", "row 3", "row 4", "row 5", "row 6"], await Task.WhenAll(rest).WaitAsync(Patience));
        Assert.Equal([[1], [2, 3, 4, 5, 6]], write.Batches.ToArray());
        Assert.Equal(2, commits.Batches);
    }

    [Fact]
    public async Task A_batch_never_exceeds_its_maximum()
    {
        var write = new GatedWrite();
        var commits = new GroupCommit<int, string>(write.WriteAsync, maxBatch: 2);

        var first = commits.SubmitAsync(1, CancellationToken.None);
        await write.FirstStarted.WaitAsync(Patience);
        var rest = Enumerable.Range(2, 5).Select(i => commits.SubmitAsync(i, CancellationToken.None)).ToList();
        write.ReleaseFirst();
        await Task.WhenAll(rest.Prepend(first)).WaitAsync(Patience);

        Assert.Equal([[1], [2, 3], [4, 5], [6]], write.Batches.ToArray());
    }

    [Fact]
    public async Task A_failed_write_reaches_every_caller_of_its_batch_and_the_next_batch_is_written()
    {
        var write = new GatedWrite { Fails = i => i == 3 };
        var commits = new GroupCommit<int, string>(write.WriteAsync, maxBatch: 3);

        var first = commits.SubmitAsync(1, CancellationToken.None);
        await write.FirstStarted.WaitAsync(Patience);
        var failing = new[] { commits.SubmitAsync(2, CancellationToken.None), commits.SubmitAsync(3, CancellationToken.None), commits.SubmitAsync(4, CancellationToken.None) };
        var after = commits.SubmitAsync(5, CancellationToken.None);
        write.ReleaseFirst();

        Assert.Equal("row 1", await first.WaitAsync(Patience));
        foreach (var caller in failing)
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => caller.WaitAsync(Patience));
            Assert.Equal("disk full", failure.Message);
        }

        Assert.Equal("row 5", await after.WaitAsync(Patience));
        Assert.Equal(2, commits.Batches); // the failed batch is not counted as written
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_batch_carrying_other_callers_items()
    {
        var write = new GatedWrite();
        var commits = new GroupCommit<int, string>(write.WriteAsync, maxBatch: 10);
        var first = commits.SubmitAsync(1, CancellationToken.None);
        await write.FirstStarted.WaitAsync(Patience);

        using var impatient = new CancellationTokenSource();
        var givingUp = commits.SubmitAsync(2, impatient.Token);
        var staying = commits.SubmitAsync(3, CancellationToken.None);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givingUp);
        write.ReleaseFirst();

        Assert.Equal("row 3", await staying.WaitAsync(Patience));
        await first.WaitAsync(Patience);
        Assert.Equal([[1], [2, 3]], write.Batches.ToArray()); // still written: it was queued, and may not be taken back
    }

    [Fact]
    public async Task A_write_that_returns_the_wrong_number_of_results_fails_its_callers_instead_of_misattributing()
    {
        var commits = new GroupCommit<int, string>(_ => Task.FromResult<IReadOnlyList<string>>(["only one"]), maxBatch: 10);
        var lone = await commits.SubmitAsync(1, CancellationToken.None).WaitAsync(Patience);
        Assert.Equal("only one", lone);

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var slow = new GroupCommit<int, string>(async batch =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                started.SetResult();
                await gate.Task;
            }

            return ["only one"];
        }, maxBatch: 10);
        var head = slow.SubmitAsync(1, CancellationToken.None);
        await started.Task.WaitAsync(Patience);
        var pair = new[] { slow.SubmitAsync(2, CancellationToken.None), slow.SubmitAsync(3, CancellationToken.None) };
        gate.SetResult();
        await head.WaitAsync(Patience);
        foreach (var caller in pair)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => caller.WaitAsync(Patience));
        }
    }
}
