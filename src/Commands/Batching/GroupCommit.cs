namespace PscaleBot.Commands.Batching;

/// <summary>
/// Group commit: items that arrive while a write is in progress wait together and are written as one batch (one
/// short transaction, one flush to disk) instead of one transaction each. Nothing waits on a timer: a lone item is
/// written at once; under a burst, each batch carries whatever queued up during the previous one (at most
/// <c>maxBatch</c> items). A caller's task completes only after the write of the batch holding its item has returned,
/// with that item's result; when the write throws, every caller of that batch gets the exception.
/// </summary>
/// <typeparam name="TItem">What is written.</typeparam>
/// <typeparam name="TResult">What each caller learns about its own item.</typeparam>
public sealed class GroupCommit<TItem, TResult>
{
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write;
    private readonly int maxBatch;
    private readonly Lock gate = new();
    private List<Pending> queued = [];
    private bool writing;
    private long batches;

    /// <summary>
    /// Batches items for <paramref name="write"/>, which gets a batch (never empty) and returns one result per item, in
    /// order. It is called by one writer at a time and is given no caller's token: cancelling one caller must not abort
    /// the transaction that carries other callers' items.
    /// </summary>
    public GroupCommit(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        this.write = write;
        this.maxBatch = maxBatch;
    }

    /// <summary>Batches written so far (for tests and diagnostics).</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>
    /// Queues <paramref name="item"/> for the next batch and returns its result once that batch is written. A caller
    /// that gives up (<paramref name="cancellationToken"/>) leaves its item queued: it may or may not be written.
    /// </summary>
    public Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(item);
        bool startWriter;
        lock (gate)
        {
            queued.Add(pending);
            startWriter = !writing;
            writing = true;
        }

        if (startWriter)
        {
            // One writer at a time; it runs until nothing is queued.
            _ = Task.Run(WriteUntilEmptyAsync, CancellationToken.None);
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteUntilEmptyAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (gate)
            {
                if (queued.Count == 0)
                {
                    writing = false;
                    return;
                }

                if (queued.Count <= maxBatch)
                {
                    batch = queued;
                    queued = [];
                }
                else
                {
                    batch = queued.GetRange(0, maxBatch);
                    queued.RemoveRange(0, maxBatch);
                }
            }

            try
            {
                var results = await write(batch.ConvertAll(p => p.Item));
                if (results.Count != batch.Count)
                {
                    throw new InvalidOperationException($"A group-commit write returned {results.Count} results for {batch.Count} items.");
                }

                Interlocked.Increment(ref batches);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                // Every caller of the failed batch hears of it: none of their items is confirmed.
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }
            }
        }
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        // Continuations run off the writer, so one slow caller cannot hold up the next batch.
        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
