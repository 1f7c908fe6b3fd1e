using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Live;

namespace Wallboard.Hub.Cluster;

/// <summary>What /healthz shows of one partition's published figures.</summary>
internal sealed record PartitionView(string Partition, string? Node, string? Position, long EventsApplied, double? AgeSeconds);

/// <summary>
/// Every partition's latest published figures, merged into one snapshot: what this hub's live API
/// and its screens' joins read, whichever hub runs each core. Each core publishes at every tick; a
/// hub that starts reads the last one of each partition from Redis.
/// </summary>
/// <remarks>
/// Merging: partitions are different sites, so their queues, agents and campaigns are normally
/// distinct and the merged lists are theirs side by side, in the order of <c>Cluster:Partitions</c>.
/// A name found in two partitions is merged additively — counters of every window summed, calls
/// waiting and agents staffed summed, the waiting calls in order of arrival, the longest wait the
/// longer; an agent's state (and current queue) is the one it entered last — and counted in
/// /healthz, because history keeps one row per name and interval.
/// </remarks>
internal sealed partial class ClusterView : ILiveFigures, IHostedService
{
    private readonly ClusterConnections _connections;
    private readonly ClusterKeys _keys;
    private readonly IReadOnlyList<string> _partitions;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterView> _logger;
    private readonly Lock _lock = new();
    private readonly Lock _changedGate = new();
    private readonly Dictionary<string, (PartitionSnapshot Published, long ReceivedAtMs)> _latest = new(StringComparer.Ordinal);
    private volatile LiveSnapshot _merged = LiveSnapshot.Empty;
    private ChannelMessageQueue? _subscription;

    public ClusterView(ClusterConnections connections, ClusterKeys keys, IOptions<ClusterOptions> options, TimeProvider time, ILogger<ClusterView> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connections = connections;
        _keys = keys;
        _partitions = options.Value.PartitionNames;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised with the merged figures each time a partition publishes (the screens' pusher listens).</summary>
    public event Action<LiveSnapshot>? Changed;

    public LiveSnapshot Latest => _merged;

    /// <summary>Names (queue, agent or campaign) found in more than one partition in the latest figures.</summary>
    public IReadOnlyList<string> SharedNames { get; private set; } = [];

    public IReadOnlyList<PartitionView> Partitions
    {
        get
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            lock (_lock)
            {
                return [.. _partitions.Select(partition => _latest.TryGetValue(partition, out var latest)
                    ? new PartitionView(partition, latest.Published.Node, latest.Published.Position, latest.Published.EventsApplied, (now - latest.ReceivedAtMs) / 1000.0)
                    : new PartitionView(partition, null, null, 0, null))];
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribed first, then the stored figures read: a publication in between is not missed.
        _subscription = await _connections.Redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_keys.Snapshots)).ConfigureAwait(false);
        _subscription.OnMessage(message => Take((byte[]?)message.Message));
        try
        {
            foreach (var partition in _partitions)
            {
                Take((byte[]?)await _connections.Redis.GetDatabase().StringGetAsync(_keys.Snapshot(partition)).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is away at start: the figures come with the cores' next publications.
            Log.NotLoaded(_logger, ex.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Takes a partition's figures as published in Redis (newer than the ones held) and merges them with the others'.</summary>
    public void Take(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return;
        }

        PartitionSnapshot published;
        try
        {
            published = SnapshotCodec.Decode(bytes);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException)
        {
            Log.Unreadable(_logger, ex.Message);
            return;
        }

        Take(published);
    }

    /// <summary>
    /// Takes a partition's figures, unless those held are from the same hub and as new (the hub that
    /// runs a core takes its figures at once, then again from Redis); a hub that took a core over
    /// replaces the figures of the one before, whatever their clocks say.
    /// </summary>
    public void Take(PartitionSnapshot published)
    {
        ArgumentNullException.ThrowIfNull(published);
        LiveSnapshot merged;
        lock (_lock)
        {
            if (_latest.TryGetValue(published.Partition, out var held) && held.Published.Snapshot.AtMs >= published.Snapshot.AtMs
                && held.Published.Node == published.Node)
            {
                return;
            }

            _latest[published.Partition] = (published, _time.GetUtcNow().ToUnixTimeMilliseconds());
            var (snapshot, shared) = Merge([.. _partitions.Where(_latest.ContainsKey).Select(partition => _latest[partition].Published.Snapshot)]);
            merged = snapshot;
            SharedNames = shared;
            _merged = merged;
        }

        // The local core's ticker and Redis's messages take figures on two threads: whichever
        // raises the event hands on the figures merged last, so screens never go back to older ones.
        lock (_changedGate)
        {
            Changed?.Invoke(_merged);
        }
    }

    /// <summary>The figures of several partitions as one snapshot, and the names found in more than one.</summary>
    public static (LiveSnapshot Snapshot, IReadOnlyList<string> Shared) Merge(IReadOnlyList<LiveSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count == 1)
        {
            return (snapshots[0], []);
        }

        var atMs = snapshots.Count == 0 ? 0 : snapshots.Max(snapshot => snapshot.AtMs);
        var shared = new List<string>();
        var queues = new List<LiveQueueFigures>();
        var queueAt = new Dictionary<string, int>(StringComparer.Ordinal);
        var agents = new List<LiveAgentFigures>();
        var agentAt = new Dictionary<string, int>(StringComparer.Ordinal);
        var campaigns = new List<LiveCampaignFigures>();
        var campaignAt = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var snapshot in snapshots)
        {
            var lateSeconds = (atMs - snapshot.AtMs) / 1000.0;
            foreach (var queue in snapshot.Queues)
            {
                if (queueAt.TryGetValue(queue.Queue, out var at))
                {
                    var held = queues[at];
                    shared.Add("queue " + queue.Queue);
                    queues[at] = held with
                    {
                        Waiting = held.Waiting + queue.Waiting,
                        LongestWaitSeconds = Max(held.LongestWaitSeconds, queue.LongestWaitSeconds),
                        Windows = Sum(held.Windows, queue.Windows, static (ref QueueCounters sum, in QueueCounters value) => sum.Add(value)),
                        AgentsStaffed = held.AgentsStaffed + queue.AgentsStaffed,
                        AgentsAvailable = held.AgentsAvailable + queue.AgentsAvailable,
                        Staffing = null,
                        WaitingArrivals = [.. held.WaitingArrivals.Concat(queue.WaitingArrivals).Order()],
                    };
                }
                else
                {
                    queueAt[queue.Queue] = queues.Count;
                    queues.Add(queue);
                }
            }

            foreach (var agent in snapshot.Agents)
            {
                var aligned = agent with { SecondsInStatus = agent.SecondsInStatus + lateSeconds };
                if (agentAt.TryGetValue(agent.Agent, out var at))
                {
                    var held = agents[at];
                    shared.Add("agent " + agent.Agent);
                    var newer = aligned.SecondsInStatus < held.SecondsInStatus ? aligned : held;
                    agents[at] = newer with
                    {
                        Queues = [.. held.Queues.Union(aligned.Queues, StringComparer.Ordinal)],
                        Windows = Sum(held.Windows, aligned.Windows, static (ref AgentCounters sum, in AgentCounters value) => sum.Add(value)),
                        Adherence = null,
                    };
                }
                else
                {
                    agentAt[agent.Agent] = agents.Count;
                    agents.Add(aligned);
                }
            }

            foreach (var campaign in snapshot.Campaigns)
            {
                if (campaignAt.TryGetValue(campaign.Campaign, out var at))
                {
                    shared.Add("campaign " + campaign.Campaign);
                    campaigns[at] = campaigns[at] with
                    {
                        Windows = Sum(campaigns[at].Windows, campaign.Windows, static (ref CampaignCounters sum, in CampaignCounters value) => sum.Add(value)),
                    };
                }
                else
                {
                    campaignAt[campaign.Campaign] = campaigns.Count;
                    campaigns.Add(campaign);
                }
            }
        }

        return (new LiveSnapshot(atMs, queues, agents, campaigns), shared);
    }

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private delegate void Adder<T>(ref T sum, in T value);

    private static Dictionary<LiveWindow, T> Sum<T>(IReadOnlyDictionary<LiveWindow, T> a, IReadOnlyDictionary<LiveWindow, T> b, Adder<T> add)
        where T : struct
    {
        var sums = new Dictionary<LiveWindow, T>(a);
        foreach (var (window, value) in b)
        {
            sums.TryGetValue(window, out var sum);
            add(ref sum, value);
            sums[window] = sum;
        }

        return sums;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1510, Level = LogLevel.Warning, Message = "Published figures could not be read: {Reason}")]
        public static partial void Unreadable(ILogger logger, string reason);

        [LoggerMessage(EventId = 1511, Level = LogLevel.Warning, Message = "The partitions' last figures could not be read from Redis at start ({Reason}); they come with the next ticks")]
        public static partial void NotLoaded(ILogger logger, string reason);
    }
}
