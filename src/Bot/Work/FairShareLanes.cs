namespace PscaleBot.Bot.Work;

/// <summary>Why <see cref="FairShareLanes{T}.TryAdd"/> refused an item.</summary>
internal enum LaneRefusal
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>The whole queue holds <see cref="BackgroundWorkOptions.QueueLimit"/> items.</summary>
    QueueFull,

    /// <summary>This owner already has <see cref="BackgroundWorkOptions.MaxWaitingPerUser"/> items waiting.</summary>
    OwnerFull,
}

/// <summary>
/// The scheduling decision of the background queue, with no threads and no clock so it can be tested step by step:
/// one FIFO lane per owner (a chat user), served round-robin, so a user with 200 commands waiting gets one turn
/// and then every other user with work gets theirs. An owner with <c>maxInFlightPerOwner</c> items running is
/// skipped until one finishes; nothing runs past <c>maxInFlight</c> in all. Not thread-safe: the caller locks.
/// </summary>
/// <typeparam name="T">The queued work.</typeparam>
internal sealed class FairShareLanes<T>(int queueLimit, int maxWaitingPerOwner, int maxInFlight, int maxInFlightPerOwner)
{
    private readonly Dictionary<string, Lane> lanes = new(StringComparer.Ordinal);

    // Owners that have work waiting and room to run it, in the order they get their next turn.
    private readonly LinkedList<Lane> turns = new();

    /// <summary>Items waiting, all owners together.</summary>
    public int Waiting { get; private set; }

    /// <summary>Items taken and not yet finished.</summary>
    public int InFlight { get; private set; }

    /// <summary>Owners with work waiting or running.</summary>
    public int ActiveOwners => lanes.Count;

    /// <summary>Items waiting for <paramref name="owner"/>.</summary>
    public int WaitingFor(string owner) => lanes.TryGetValue(owner, out var lane) ? lane.Items.Count : 0;

    /// <summary>Queues <paramref name="item"/> at the end of its owner's lane, unless a limit is reached.</summary>
    public LaneRefusal TryAdd(string owner, T item)
    {
        if (Waiting >= queueLimit)
        {
            return LaneRefusal.QueueFull;
        }

        if (!lanes.TryGetValue(owner, out var lane))
        {
            lane = new Lane(owner);
            lanes.Add(owner, lane);
        }
        else if (lane.Items.Count >= maxWaitingPerOwner)
        {
            return LaneRefusal.OwnerFull;
        }

        lane.Items.Enqueue(item);
        Waiting++;
        OfferTurn(lane);
        return LaneRefusal.None;
    }

    /// <summary>
    /// The next item to run: the first item of the owner whose turn it is. False when nothing waits, or everything
    /// that waits belongs to owners at their in-flight cap, or <c>maxInFlight</c> items already run.
    /// </summary>
    public bool TryTake(out string owner, out T item)
    {
        if (InFlight >= maxInFlight || turns.First is not { } next)
        {
            owner = string.Empty;
            item = default!;
            return false;
        }

        var lane = next.Value;
        turns.RemoveFirst();
        lane.Turn = null;
        item = lane.Items.Dequeue();
        owner = lane.Owner;
        Waiting--;
        lane.InFlight++;
        InFlight++;

        // Back to the end of the line: everyone else with work goes first.
        OfferTurn(lane);
        return true;
    }

    /// <summary>An item taken for <paramref name="owner"/> has finished (however it ended).</summary>
    public void Finished(string owner)
    {
        var lane = lanes[owner];
        lane.InFlight--;
        InFlight--;
        if (lane.InFlight == 0 && lane.Items.Count == 0)
        {
            // An idle owner costs nothing: thousands of users over a day do not accumulate.
            lanes.Remove(owner);
            return;
        }

        OfferTurn(lane);
    }

    /// <summary>Removes and returns every waiting item (on shutdown, to abandon them), oldest turns first.</summary>
    public List<T> TakeAllWaiting()
    {
        var all = new List<T>(Waiting);
        foreach (var lane in lanes.Values.ToList())
        {
            all.AddRange(lane.Items);
            lane.Items.Clear();
            if (lane.Turn is not null)
            {
                turns.Remove(lane.Turn);
                lane.Turn = null;
            }

            if (lane.InFlight == 0)
            {
                lanes.Remove(lane.Owner);
            }
        }

        Waiting = 0;
        return all;
    }

    private void OfferTurn(Lane lane)
    {
        if (lane.Turn is null && lane.Items.Count > 0 && lane.InFlight < maxInFlightPerOwner)
        {
            lane.Turn = turns.AddLast(lane);
        }
    }

    private sealed class Lane(string owner)
    {
        public string Owner { get; } = owner;

        public Queue<T> Items { get; } = new();

        public int InFlight { get; set; }

        public LinkedListNode<Lane>? Turn { get; set; }
    }
}
