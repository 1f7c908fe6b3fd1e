using System.Runtime.CompilerServices;
using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.Simulation;

/// <summary>
/// A seeded contact-centre simulator: inbound queues with a daily call curve, agents on shifts
/// with breaks, an outbound sales campaign and a callback campaign. Events come out in
/// non-decreasing time order, and the same options (seed included) always give the same events.
/// </summary>
/// <remarks>
/// Every run starts from scratch, so <see cref="Run"/>, <see cref="Enumerate"/> and
/// <see cref="RunLiveAsync"/> on one instance all see the same sequence. Contacts still in
/// progress at the end of the period are cut off mid-life, as a log file rotated at midnight would.
/// </remarks>
public sealed class ContactCentreSimulator
{
    private readonly SimulationOptions _options;
    private readonly TimeZoneInfo _zone;

    public ContactCentreSimulator(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _zone = Validate(options);
        _options = options;
    }

    public SimulationOptions Options => _options;

    /// <summary>Emits every event of [Start, Start + Duration) as fast as possible.</summary>
    /// <returns>The number of events emitted.</returns>
    public long Run(IContactEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_options.Duration == Timeout.InfiniteTimeSpan)
        {
            throw new InvalidOperationException("SimulationOptions.Duration is infinite; a batch run needs an end. Use Enumerate or RunLiveAsync.");
        }

        var counter = new CountingSink(sink);
        var engine = new SimulationEngine(_options, _zone, counter);
        while (engine.Step())
        {
        }

        return counter.Count;
    }

    /// <summary>The events of the run, generated lazily (a few at a time) as they are enumerated.</summary>
    public IEnumerable<ContactEvent> Enumerate()
    {
        var buffer = new BufferSink();
        var engine = new SimulationEngine(_options, _zone, buffer);
        while (true)
        {
            while (buffer.Events.Count == 0)
            {
                if (!engine.Step())
                {
                    yield break;
                }
            }

            yield return buffer.Events.Dequeue();
        }
    }

    /// <summary>
    /// Releases each event once <paramref name="time"/> reaches its time; events already in the
    /// past are released at once. For a live wallboard, set <see cref="SimulationOptions.Start"/>
    /// to the clock's current time and <see cref="SimulationOptions.Duration"/> to
    /// <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public async IAsyncEnumerable<ContactEvent> RunLiveAsync(
        TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        foreach (var next in Enumerate())
        {
            var due = DateTimeOffset.FromUnixTimeMilliseconds(next.UnixTimeMs);

            // Loop because a timer may fire a little early relative to the clock it is read from.
            for (var now = time.GetUtcNow(); now < due; now = time.GetUtcNow())
            {
                await Task.Delay(due - now, time, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return next;
        }
    }

    private static TimeZoneInfo Validate(SimulationOptions options)
    {
        if (options.Duration <= TimeSpan.Zero && options.Duration != Timeout.InfiniteTimeSpan)
        {
            throw Invalid(nameof(SimulationOptions.Duration), $"must be positive (or infinite), not {options.Duration}");
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new ArgumentException($"SimulationOptions.TimeZone: '{options.TimeZone}' is not a known time zone.", nameof(options), ex);
        }

        CheckRate(nameof(SimulationOptions.WeekendVolumeFactor), options.WeekendVolumeFactor);
        CheckRate(nameof(SimulationOptions.RingNoAnswerRate), options.RingNoAnswerRate);
        CheckRate(nameof(SimulationOptions.HoldRate), options.HoldRate);
        CheckRate(nameof(SimulationOptions.TransferRate), options.TransferRate);
        CheckRate(nameof(SimulationOptions.ShortAbandonRate), options.ShortAbandonRate);
        CheckRate(nameof(SimulationOptions.ExitWithKeyRate), options.ExitWithKeyRate);
        if (!(options.DailyVolumeSpread is >= 0 and <= 1))
        {
            throw Invalid(nameof(SimulationOptions.DailyVolumeSpread), $"must be between 0 and 1, not {options.DailyVolumeSpread}");
        }
        CheckPositive(nameof(SimulationOptions.MedianWrapUp), options.MedianWrapUp);
        CheckPositive(nameof(SimulationOptions.RingTimeout), options.RingTimeout);
        if (options.InboundCallerPoolSize <= 0)
        {
            throw Invalid(nameof(SimulationOptions.InboundCallerPoolSize), "must be positive");
        }

        var queueIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Queues.Count; i++)
        {
            var q = options.Queues[i];
            var name = $"{nameof(SimulationOptions.Queues)}[{i}]";
            if (string.IsNullOrEmpty(q.Id) || !queueIds.Add(q.Id))
            {
                throw Invalid($"{name}.Id", $"'{q.Id}' is empty or not unique");
            }

            if (q.CallsPerDay < 0 || double.IsNaN(q.CallsPerDay) || double.IsInfinity(q.CallsPerDay))
            {
                throw Invalid($"{name}.CallsPerDay", $"must be a non-negative number, not {q.CallsPerDay}");
            }

            CheckPositive($"{name}.MeanTalk", q.MeanTalk);
            CheckPositive($"{name}.MedianPatience", q.MedianPatience);
            CheckPositive($"{name}.MaxWait", q.MaxWait);
            CheckRate($"{name}.ConversionRate", q.ConversionRate);
            CheckRate($"{name}.ComplaintRate", q.ComplaintRate);
            CheckRate($"{name}.ConversionRate + ComplaintRate", q.ConversionRate + q.ComplaintRate);
        }

        for (var i = 0; i < options.Teams.Count; i++)
        {
            var t = options.Teams[i];
            var name = $"{nameof(SimulationOptions.Teams)}[{i}]";
            if (t.Agents < 0)
            {
                throw Invalid($"{name}.Agents", "must not be negative");
            }

            foreach (var q in t.Queues)
            {
                if (!queueIds.Contains(q))
                {
                    throw Invalid($"{name}.Queues", $"'{q}' is not one of the queues");
                }
            }

            if (t.ShiftStarts.Count == 0)
            {
                throw Invalid($"{name}.ShiftStarts", "must not be empty");
            }

            if (t.ShiftLength < TimeSpan.FromHours(7.5) || t.ShiftLength > TimeSpan.FromHours(24))
            {
                // Breaks are placed up to seven hours into a shift.
                throw Invalid($"{name}.ShiftLength", $"must be between 7.5 and 24 hours, not {t.ShiftLength}");
            }
        }

        var o = options.Outbound;
        CheckRate("Outbound.ConnectRate + BusyRate + FailedRate", o.ConnectRate + o.BusyRate + o.FailedRate);
        CheckRate("Outbound.ConnectRate", o.ConnectRate);
        CheckRate("Outbound.BusyRate", o.BusyRate);
        CheckRate("Outbound.FailedRate", o.FailedRate);
        CheckRate("Outbound.ConversionRate + CallbackRequestRate + ComplaintRate", o.ConversionRate + o.CallbackRequestRate + o.ComplaintRate);
        CheckPositive("Outbound.MeanTalk", o.MeanTalk);
        CheckPositive("Outbound.MedianWrapUp", o.MedianWrapUp);
        if (o.CustomerPoolSize <= 0 || o.MaxAttempts <= 0)
        {
            throw Invalid("Outbound.CustomerPoolSize/MaxAttempts", "must be positive");
        }

        var c = options.Callback;
        CheckRate("Callback.ConnectRate + Outbound.BusyRate + Outbound.FailedRate", c.ConnectRate + o.BusyRate + o.FailedRate);
        CheckRate("Callback.ConversionRate", c.ConversionRate);
        CheckRate("Callback.AbandonCallbackRate", c.AbandonCallbackRate);
        CheckPositive("Callback.MeanTalk", c.MeanTalk);
        if (c.MaxAttempts <= 0)
        {
            throw Invalid("Callback.MaxAttempts", "must be positive");
        }

        return zone;
    }

    private static void CheckRate(string name, double value)
    {
        if (!(value is >= 0 and <= 1))
        {
            throw Invalid(name, $"must be between 0 and 1, not {value}");
        }
    }

    private static void CheckPositive(string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            throw Invalid(name, $"must be positive, not {value}");
        }
    }

    private static ArgumentException Invalid(string name, string message) =>
        new($"SimulationOptions.{name} {message}.");

    private sealed class CountingSink(IContactEventSink inner) : IContactEventSink
    {
        public long Count { get; private set; }

        public void Accept(in ContactEvent contactEvent)
        {
            Count++;
            inner.Accept(in contactEvent);
        }
    }

    private sealed class BufferSink : IContactEventSink
    {
        public Queue<ContactEvent> Events { get; } = new();

        public void Accept(in ContactEvent contactEvent) => Events.Enqueue(contactEvent);
    }
}
