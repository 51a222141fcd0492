using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using PscaleBot.Benchmarks.Latency;

namespace PscaleBot.Benchmarks.Load;

/// <summary>
/// Sends signed slash commands to one server (its replicas in turn: the n-th command to replica n mod N) and keeps, per command, the acknowledgement latency and the verdict and
/// latency of its answer (in the ack, or on the response_url).
/// </summary>
internal sealed class CommandLoad : IDisposable
{
    private readonly HttpClient[] clients;
    private readonly SlackCommandSigner signer = new(ServerUnderLoad.SigningSecret, TimeProvider.System);
    private readonly LoadSlack slack;
    private readonly string prefix;
    private readonly ConcurrentBag<(long SentAt, double Ms)> acks = [];
    private readonly ConcurrentDictionary<string, (long SentAt, Answer? Immediate, LoadCommand Command)> sent = new(StringComparer.Ordinal);
    private int next;

    /// <summary>Commands to <paramref name="replicas"/> in turn, up to <paramref name="connections"/> connections to each.</summary>
    public CommandLoad(IReadOnlyList<Uri> replicas, LoadSlack slack, int connections, string prefix)
    {
        this.slack = slack;
        this.prefix = prefix;
        clients = [.. replicas.Select(root => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = root,
            Timeout = TimeSpan.FromSeconds(30),
        })];
    }

    /// <summary>Commands sent so far.</summary>
    public int Sent => sent.Count;

    /// <summary>Sends the <paramref name="sequence"/>-th command of the mix as user <paramref name="sequence"/> mod <paramref name="users"/>.</summary>
    public Task<string> SendAsync(int sequence, int users) =>
        SendAsync(LoadCommand.Mix[sequence % LoadCommand.Mix.Length], sequence % users);

    /// <summary>Sends <paramref name="command"/> as load user <paramref name="user"/>; returns the command's id.</summary>
    public async Task<string> SendAsync(LoadCommand command, int user)
    {
        var n = Interlocked.Increment(ref next);
        var id = $"{prefix}{n}";
        var client = clients[n % clients.Length];
        var userId = LoadCommand.User(user);
        using var request = signer.SlashCommand(LoadSlack.TeamId, LoadSlack.ChannelId, userId, command.Text, slack.Expect(id, command, userId), $"trigger.{id}.{Guid.NewGuid():N}");
        var sentAt = Stopwatch.GetTimestamp();
        Answer? immediate;
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var now = Stopwatch.GetTimestamp();
            acks.Add((sentAt, Stopwatch.GetElapsedTime(sentAt, now).TotalMilliseconds));
            immediate = response.StatusCode != HttpStatusCode.OK ? new Answer(now, Verdict.Error)
                : body.Length > 0 ? new Answer(now, command.Classify(body, userId))
                : command.AnsweredInAck ? new Answer(now, Verdict.Error)
                : null;
            if (immediate is not null)
            {
                slack.AnsweredInAck(id, immediate);
                slack.Wrong.Note(id, command, immediate.Verdict, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(ack, HTTP {(int)response.StatusCode}) {body}"));
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            immediate = new Answer(Stopwatch.GetTimestamp(), Verdict.Error);
            slack.AnsweredInAck(id, immediate);
            slack.Wrong.Note(id, command, Verdict.Error, $"(no ack) {e.GetType().Name}: {e.Message}");
        }

        sent[id] = (sentAt, immediate, command);
        return id;
    }

    /// <summary>Waits (until <paramref name="deadline"/>) for every acknowledged command's answer.</summary>
    public async Task WaitForAnswersAsync(TimeSpan deadline)
    {
        var stop = Stopwatch.StartNew();
        while (stop.Elapsed < deadline && sent.Any(s => s.Value.Immediate is null && slack.AnswerOf(s.Key) is null))
        {
            await Task.Delay(20);
        }
    }

    /// <summary>Whether command <paramref name="id"/> has its answer.</summary>
    public bool IsAnswered(string id) => sent.TryGetValue(id, out var s) && (s.Immediate is not null || slack.AnswerOf(id) is not null);

    /// <summary>The answer latency of command <paramref name="id"/> in ms, if it has one.</summary>
    public double? AnswerMilliseconds(string id) =>
        sent.TryGetValue(id, out var s) && (s.Immediate ?? slack.AnswerOf(id)) is { } answer
            ? Stopwatch.GetElapsedTime(s.SentAt, answer.At).TotalMilliseconds
            : null;

    /// <summary>
    /// The acknowledgement latencies of the commands sent from <paramref name="from"/> (a <see cref="Stopwatch"/>
    /// timestamp) on: a steady load's latency once the server is past its first seconds (JIT tiering, pools).
    /// </summary>
    public LatencySummary AcksSentFrom(long from) => LatencySummary.Of([.. acks.Where(a => a.SentAt >= from).Select(a => a.Ms)]);

    /// <summary>What happened to every command sent.</summary>
    public LoadTally Tally()
    {
        var verdicts = new Dictionary<Verdict, int>();
        var answerTimes = new List<double>();
        var correctTimes = new List<double>();
        foreach (var (id, (sentAt, immediate, command)) in sent)
        {
            var answer = immediate ?? slack.AnswerOf(id);
            var verdict = answer?.Verdict ?? Verdict.Missing;
            if (answer is null)
            {
                // Which commands went unanswered (and how many of each) says more than their total.
                slack.Wrong.Note(id, command, verdict, "(no answer when the driver stopped waiting)");
            }

            verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
            if (answer is not null)
            {
                var ms = Stopwatch.GetElapsedTime(sentAt, answer.At).TotalMilliseconds;
                answerTimes.Add(ms);
                if (verdict == Verdict.Correct)
                {
                    correctTimes.Add(ms);
                }
            }
        }

        return new LoadTally(sent.Count, LatencySummary.Of([.. acks.Select(a => a.Ms)]), LatencySummary.Of(answerTimes), LatencySummary.Of(correctTimes), verdicts);
    }

    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}

/// <summary>What happened to the commands of one run.</summary>
internal sealed record LoadTally(int Sent, LatencySummary Acks, LatencySummary Answers, LatencySummary CorrectAnswers, IReadOnlyDictionary<Verdict, int> Verdicts)
{
    public int Count(Verdict verdict) => Verdicts.GetValueOrDefault(verdict);
}
