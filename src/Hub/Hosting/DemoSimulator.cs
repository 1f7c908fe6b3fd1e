using Microsoft.Extensions.Options;
using Wallboard.Ingest.Simulation;

namespace Wallboard.Hub.Hosting;

/// <summary>Feeds the seeded simulator into the core in real time when no real source is configured.</summary>
internal sealed partial class DemoSimulator(
    IngestChannel channel,
    IOptions<SourcesOptions> sources,
    IOptions<MetricsOptions> metrics,
    TimeProvider time,
    Operations.WallboardMetrics counters,
    ILogger<DemoSimulator> logger,
    Names.DirectoryService directory) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!sources.Value.DemoEnabled)
        {
            return;
        }

        // A demo run at night would show an empty floor, so the simulated centre lives a business
        // day from 09:30 local time, shifted to start now.
        var now = time.GetUtcNow();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(metrics.Value.TimeZone);
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var morning = new DateTimeOffset(localNow.Date.AddHours(9.5), localNow.Offset);
        var shift = now - morning;
        var options = new SimulationOptions
        {
            Seed = (int)(now.ToUnixTimeSeconds() % int.MaxValue),
            Start = morning,
            Duration = Timeout.InfiniteTimeSpan,
            TimeZone = metrics.Value.TimeZone,
        }.ScaledBy(sources.Value.DemoScale);
        Log.DemoStarted(logger, options.AgentCount, options.Queues.Count);

        // The demo centre's names and teams (a configured directory file still wins): its outbound team fills the outbound board.
        directory.SetDemo(Names.SimulatedDirectory.Of(options, agentNames: true));
        var simulator = new ContactCentreSimulator(options);
        var shiftMs = (long)shift.TotalMilliseconds;
        await foreach (var contactEvent in simulator.RunLiveAsync(new ShiftedTimeProvider(time, shift), stoppingToken).ConfigureAwait(false))
        {
            await channel.PublishAsync(contactEvent with { UnixTimeMs = contactEvent.UnixTimeMs + shiftMs }, stoppingToken).ConfigureAwait(false);
            counters.EventsIngested("demo", 1);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Demo simulator feeding {Agents} agents in {Queues} queues")]
        public static partial void DemoStarted(ILogger logger, int agents, int queues);
    }
}

/// <summary>A clock running behind another by a fixed amount; its timers are the other clock's.</summary>
internal sealed class ShiftedTimeProvider(TimeProvider inner, TimeSpan behind) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() - behind;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
