namespace Wallboard.Ingest.Simulation;

/// <summary>
/// What to simulate. The defaults describe a small centre: three inbound queues, thirty agents in
/// three teams (two inbound, one outbound), one outbound sales campaign and one callback campaign.
/// </summary>
/// <remarks>
/// Volumes are per weekday; weekends run at <see cref="WeekendVolumeFactor"/> of them. The
/// simulator checks the options when it is constructed and names the offending property.
/// </remarks>
public sealed record SimulationOptions
{
    /// <summary>Seed of the one random stream everything is drawn from; same seed, same events.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>First instant simulated. Defaults to a Monday midnight in Shanghai.</summary>
    public DateTimeOffset Start { get; init; } = new(2025, 11, 3, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// Length of the simulated period. <see cref="Timeout.InfiniteTimeSpan"/> means "no end" and is
    /// accepted only by the live and enumerating modes.
    /// </summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>IANA id of the centre's time zone; shifts and the daily call curve follow local time.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>Inbound queues.</summary>
    public IReadOnlyList<QueueDefinition> Queues { get; init; } = DefaultQueues;

    /// <summary>Agent teams; the sum of their sizes is the number of agents.</summary>
    public IReadOnlyList<TeamDefinition> Teams { get; init; } = DefaultTeams;

    /// <summary>The outbound sales campaign dialled by outbound teams.</summary>
    public OutboundCampaignOptions Outbound { get; init; } = new();

    /// <summary>The callback (回访) campaign, also dialled by outbound teams, ahead of the sales campaign.</summary>
    public CallbackCampaignOptions Callback { get; init; } = new();

    /// <summary>Share of the weekday volume that arrives on Saturdays and Sundays.</summary>
    public double WeekendVolumeFactor { get; init; } = 0.6;

    /// <summary>Median after-call work of an inbound call.</summary>
    public TimeSpan MedianWrapUp { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Share of rings an agent lets time out (RINGNOANSWER); the call then goes to another agent.</summary>
    public double RingNoAnswerRate { get; init; } = 0.05;

    /// <summary>How long a ring lasts before it counts as not answered.</summary>
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Share of answered inbound calls with a hold.</summary>
    public double HoldRate { get; init; } = 0.15;

    /// <summary>Share of answered inbound calls that end in a transfer.</summary>
    public double TransferRate { get; init; } = 0.04;

    /// <summary>Share of callers who hang up within five seconds whatever the queue (misdials, impatience).</summary>
    public double ShortAbandonRate { get; init; } = 0.06;

    /// <summary>Share of callers leaving before the timeout who do so by pressing "1" (EXITWITHKEY) to ask for a callback.</summary>
    public double ExitWithKeyRate { get; init; } = 0.08;

    /// <summary>Whether answered inbound calls get a disposition (resolved, sale, complaint) at the end of wrap-up.</summary>
    public bool InboundDispositions { get; init; } = true;

    /// <summary>Size of the pool inbound caller ids are drawn from; a smaller pool gives more repeat callers.</summary>
    public int InboundCallerPoolSize { get; init; } = 50_000;

    /// <summary>
    /// Arrivals at one constant rate all day (CallsPerDay / 24 an hour) instead of the daily curve:
    /// stationary traffic, for checking a staffing model against the simulated centre.
    /// </summary>
    public bool FlatArrivals { get; init; }

    /// <summary>
    /// Standard deviation of the logarithm of a day's volume factor per queue (0 = every weekday the
    /// same): real days differ from their forecast, which the intraday scaling of the forecast is for.
    /// Drawn from its own seeded stream, so the rest of the run is unchanged by it.
    /// </summary>
    public double DailyVolumeSpread { get; init; }

    /// <summary>Number of agents over all teams.</summary>
    public int AgentCount => Teams.Sum(t => t.Agents);

    /// <summary>Every agent's id with its team, in the order the simulator numbers them.</summary>
    public IEnumerable<(string Agent, TeamDefinition Team)> Roster()
    {
        var index = 0;
        foreach (var team in Teams)
        {
            for (var n = 0; n < team.Agents; n++)
            {
                yield return (AgentId(index++), team);
            }
        }
    }

    /// <summary>The id of the agent numbered <paramref name="index"/> (from 0): <c>Agent/1001</c>, <c>Agent/1002</c>, …</summary>
    public static string AgentId(int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Agent/{1001 + index}");

    public static IReadOnlyList<QueueDefinition> DefaultQueues { get; } =
    [
        new("sales", "销售热线", CallsPerDay: 650, MeanTalk: TimeSpan.FromMinutes(3.5),
            MedianPatience: TimeSpan.FromSeconds(80), MaxWait: TimeSpan.FromMinutes(5))
        { ConversionRate = 0.12, ComplaintRate = 0.005 },
        new("support", "客服热线", CallsPerDay: 900, MeanTalk: TimeSpan.FromMinutes(4.5),
            MedianPatience: TimeSpan.FromSeconds(110), MaxWait: TimeSpan.FromMinutes(8))
        { ComplaintRate = 0.02 },
        new("vip", "VIP 专线", CallsPerDay: 160, MeanTalk: TimeSpan.FromMinutes(5),
            MedianPatience: TimeSpan.FromSeconds(60), MaxWait: TimeSpan.FromMinutes(3))
        { Priority = 10, ConversionRate = 0.05, ComplaintRate = 0.01 },
    ];

    public static IReadOnlyList<TeamDefinition> DefaultTeams { get; } =
    [
        new("team-sales", "销售组", Agents: 9, Queues: ["sales", "vip"]),
        new("team-support", "客服组", Agents: 13, Queues: ["support", "vip"]),
        new("team-outbound", "外呼组", Agents: 8, Queues: []) { Outbound = true },
    ];

    /// <summary>
    /// The same centre <paramref name="factor"/> times bigger: queue volumes and team sizes
    /// multiplied (at least one agent per team), so service levels stay about the same.
    /// </summary>
    public SimulationOptions ScaledBy(double factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        return this with
        {
            Queues = [.. Queues.Select(q => q with { CallsPerDay = q.CallsPerDay * factor })],
            Teams = [.. Teams.Select(t => t with { Agents = Math.Max(1, (int)Math.Round(t.Agents * factor)) })],
            InboundCallerPoolSize = (int)Math.Min(int.MaxValue / 2, InboundCallerPoolSize * factor),
            Outbound = Outbound with
            {
                CustomerPoolSize = (int)Math.Min(int.MaxValue / 2, Outbound.CustomerPoolSize * factor),
            },
        };
    }
}

/// <summary>An inbound queue.</summary>
/// <param name="Id">ASCII id used in events.</param>
/// <param name="DisplayName">Name for people (may be Chinese).</param>
/// <param name="CallsPerDay">Expected arrivals on a weekday, spread over the daily curve.</param>
/// <param name="MeanTalk">Mean talk time (log-normal).</param>
/// <param name="MedianPatience">Median time a caller waits before hanging up (log-normal).</param>
/// <param name="MaxWait">Queue timeout (EXITWITHTIMEOUT).</param>
public sealed record QueueDefinition(
    string Id,
    string DisplayName,
    double CallsPerDay,
    TimeSpan MeanTalk,
    TimeSpan MedianPatience,
    TimeSpan MaxWait)
{
    /// <summary>Agents serving several queues take the waiting call of the highest priority first.</summary>
    public int Priority { get; init; }

    /// <summary>Share of answered calls whose disposition is a sale.</summary>
    public double ConversionRate { get; init; }

    /// <summary>Share of answered calls whose disposition is a complaint (they also go to the callback campaign).</summary>
    public double ComplaintRate { get; init; }
}

/// <summary>A team of agents working the same queues (or the outbound campaigns) on the same shift pattern.</summary>
/// <param name="Id">ASCII id.</param>
/// <param name="DisplayName">Name for people.</param>
/// <param name="Agents">Number of agents.</param>
/// <param name="Queues">Ids of the inbound queues the agents are members of.</param>
public sealed record TeamDefinition(string Id, string DisplayName, int Agents, IReadOnlyList<string> Queues)
{
    /// <summary>Outbound agents dial the callback and sales campaigns instead of taking inbound calls.</summary>
    public bool Outbound { get; init; }

    /// <summary>Local shift start times; agents are spread over them in turn.</summary>
    public IReadOnlyList<TimeSpan> ShiftStarts { get; init; } =
        [TimeSpan.FromHours(8), TimeSpan.FromHours(9.5), TimeSpan.FromHours(12)];

    /// <summary>Length of a shift including breaks and lunch.</summary>
    public TimeSpan ShiftLength { get; init; } = TimeSpan.FromHours(9);

    /// <summary>Logged in from the start of the run to its end, with no breaks: fixed staffing (shifts are ignored).</summary>
    public bool AlwaysOn { get; init; }
}

/// <summary>The outbound sales campaign.</summary>
public sealed record OutboundCampaignOptions
{
    public string Id { get; init; } = "sales-q4";

    public string DisplayName { get; init; } = "Q4 销售外呼";

    /// <summary>Share of attempts a person answers.</summary>
    public double ConnectRate { get; init; } = 0.35;

    /// <summary>Share of attempts that find the line busy.</summary>
    public double BusyRate { get; init; } = 0.12;

    /// <summary>Share of attempts that cannot be placed; the rest ring out unanswered.</summary>
    public double FailedRate { get; init; } = 0.08;

    /// <summary>Share of connected contacts that buy.</summary>
    public double ConversionRate { get; init; } = 0.15;

    /// <summary>Share of connected contacts that ask to be called back (they go to the callback campaign).</summary>
    public double CallbackRequestRate { get; init; } = 0.12;

    /// <summary>Share of connected contacts that complain.</summary>
    public double ComplaintRate { get; init; } = 0.01;

    public TimeSpan MeanTalk { get; init; } = TimeSpan.FromMinutes(2.5);

    /// <summary>Median after-call work of a connected contact.</summary>
    public TimeSpan MedianWrapUp { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per customer before the campaign gives up on a number that does not connect.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Size of the customer list; dialling starts over at its beginning once exhausted.</summary>
    public int CustomerPoolSize { get; init; } = 20_000;
}

/// <summary>
/// The callback (回访) campaign: customers who asked for a callback (on the sales campaign or by
/// pressing 1 in a queue), some who abandoned, and those who complained are called again.
/// </summary>
public sealed record CallbackCampaignOptions
{
    public string Id { get; init; } = "callback";

    public string DisplayName { get; init; } = "回访";

    public bool Enabled { get; init; } = true;

    /// <summary>Share of attempts a person answers (higher than cold calls: they know us).</summary>
    public double ConnectRate { get; init; } = 0.55;

    /// <summary>Share of connected callbacks, other than complaint follow-ups, that convert.</summary>
    public double ConversionRate { get; init; } = 0.2;

    /// <summary>Share of inbound callers who abandoned after more than ten seconds and are called back.</summary>
    public double AbandonCallbackRate { get; init; } = 0.3;

    public TimeSpan MeanTalk { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Attempts per callback before giving up.</summary>
    public int MaxAttempts { get; init; } = 3;
}
