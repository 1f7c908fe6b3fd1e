using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.Pipeline;

/// <summary>
/// Refuses the events of a file read in batch (<c>kpi</c>, <c>import</c>) whose time is far from
/// the lines around it. A queue_log, a Master.csv and a JSON event log are written in time order,
/// so a line dated years ahead of its neighbours is a corrupted digit, not the future: applied, it
/// moved the core's clock there and made it account every logged-in agent's session interval by
/// interval up to it. The server refuses such times against its own clock; a batch file has no
/// clock but its own lines.
/// </summary>
/// <remarks>
/// The rule: an event is taken when its time is within <see cref="MaxJumpMs"/> of the last event
/// taken. One that is not waits for the events after it: when a later one is within the jump of it,
/// the file really moved on (a centre closed for a week, logs of two years in one file) and both are
/// taken; when a later one is back within the jump of the last event taken, the ones waiting were
/// out of place and are refused. The first event of a file waits the same way for a second that
/// confirms it, so a corrupted first line is refused too. At the end of the file an event still
/// waiting is refused, unless it is the file's only one. Only a few events wait at once
/// (<see cref="MaxWaiting"/>); the oldest is refused when more arrive, so memory stays bounded.
/// Events are numbered in the order read (from 0); <see cref="Refused"/> lists the refused ones, for
/// the caller to find their lines and count them (<see cref="IngestReport.CountRefusedEvent"/>).
/// </remarks>
public sealed class TimeJumpScreen : IContactEventSink, IEventBatchSink
{
    /// <summary>Events that may wait for confirmation at once.</summary>
    public const int MaxWaiting = 8;

    private const int BatchSize = 4096;

    private readonly IContactEventSink _next;
    private readonly IEventBatchSink? _nextBatches;
    private readonly ConcurrentQueue<EventBatch> _freeBatches = new();
    private readonly List<(long Ordinal, ContactEvent Event)> _waiting = new(MaxWaiting + 1);
    private readonly List<RefusedEvent> _refused = [];
    private long _anchorMs = long.MinValue;
    private bool _anchored;
    private long _ordinal;

    /// <param name="next">Receives the events taken, in the order read.</param>
    /// <param name="maxJump">How far an event may be from the one taken before it without waiting for confirmation.</param>
    public TimeJumpScreen(IContactEventSink next, TimeSpan maxJump)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxJump, TimeSpan.Zero);
        _next = next;
        _nextBatches = next as IEventBatchSink;
        MaxJumpMs = (long)maxJump.TotalMilliseconds;
    }

    /// <summary>The largest distance, in ms, between an event and the one taken before it.</summary>
    public long MaxJumpMs { get; }

    /// <summary>The events refused so far, in the order read.</summary>
    public IReadOnlyList<RefusedEvent> Refused => _refused;

    public void Accept(in ContactEvent contactEvent) => Screen(_ordinal++, contactEvent);

    /// <summary>Decides the events still waiting: call once after the file's last event.</summary>
    public void Complete()
    {
        if (_waiting.Count == 1 && !_anchored)
        {
            // The file's only event: nothing to compare it with.
            Take(_waiting[0].Event);
        }
        else
        {
            RefuseWaiting(upTo: _waiting.Count, nextMs: null);
        }

        _waiting.Clear();
    }

    // Rented on the reader's parsing threads, returned on the thread that accepts them. A batch is
    // some 4,096 events of the large object heap: one new per rent cost kpi a quarter of its CPU.
    EventBatch IEventBatchSink.RentBatch() =>
        _nextBatches?.RentBatch() ?? (_freeBatches.TryDequeue(out var reused) ? reused : new EventBatch(BatchSize));

    void IEventBatchSink.ReturnBatch(EventBatch batch)
    {
        batch.Count = 0;
        if (_nextBatches is { } nextBatches)
        {
            nextBatches.ReturnBatch(batch);
        }
        else
        {
            _freeBatches.Enqueue(batch);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IEventBatchSink.AcceptBatch(EventBatch batch)
    {
        if (_waiting.Count == 0 && _anchored && AllNear(batch))
        {
            // The usual case: every event within the jump of the one before it, passed on as read.
            _ordinal += batch.Count;
            if (_nextBatches is { } nextBatches)
            {
                nextBatches.AcceptBatch(batch);
                return;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                _next.Accept(batch.Events[i]);
            }
        }
        else
        {
            for (var i = 0; i < batch.Count; i++)
            {
                Screen(_ordinal++, batch.Events[i]);
            }
        }

        ((IEventBatchSink)this).ReturnBatch(batch);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AllNear(EventBatch batch)
    {
        var anchor = _anchorMs;
        var events = batch.Events;
        for (var i = 0; i < batch.Count; i++)
        {
            var t = events[i].UnixTimeMs;
            if (!Near(t, anchor))
            {
                return false;
            }

            anchor = t;
        }

        _anchorMs = anchor;
        return true;
    }

    private void Screen(long ordinal, in ContactEvent contactEvent)
    {
        var t = contactEvent.UnixTimeMs;
        if (_waiting.Count == 0)
        {
            if (_anchored && Near(t, _anchorMs))
            {
                Take(contactEvent);
            }
            else
            {
                _waiting.Add((ordinal, contactEvent));
            }

            return;
        }

        if (_anchored && Near(t, _anchorMs))
        {
            // Back where the file was: the ones waiting were out of place.
            RefuseWaiting(upTo: _waiting.Count, nextMs: t);
            _waiting.Clear();
            Take(contactEvent);
            return;
        }

        var confirmed = _waiting.FindLastIndex(waiting => Near(waiting.Event.UnixTimeMs, t));
        if (confirmed >= 0)
        {
            // The file moved on: the waiting event it confirms is taken, the ones between are refused.
            var taken = _waiting[confirmed];
            RefuseWaiting(upTo: _waiting.Count, nextMs: t, except: confirmed);
            _waiting.Clear();
            Take(taken.Event);
            Take(contactEvent);
            return;
        }

        _waiting.Add((ordinal, contactEvent));
        if (_waiting.Count > MaxWaiting)
        {
            RefuseWaiting(upTo: 1, nextMs: _waiting[1].Event.UnixTimeMs);
            _waiting.RemoveAt(0);
        }
    }

    private void Take(in ContactEvent contactEvent)
    {
        _anchored = true;
        _anchorMs = contactEvent.UnixTimeMs;
        _next.Accept(contactEvent);
    }

    private void RefuseWaiting(int upTo, long? nextMs, int except = -1)
    {
        for (var i = 0; i < upTo; i++)
        {
            if (i == except)
            {
                continue;
            }

            var (ordinal, refused) = _waiting[i];
            var after = i + 1 < _waiting.Count ? _waiting[i + 1].Event.UnixTimeMs : nextMs;
            _refused.Add(new RefusedEvent(ordinal, refused.UnixTimeMs, _anchored ? _anchorMs : null, after));
        }
    }

    private bool Near(long t, long anchor) => (ulong)(t - anchor + MaxJumpMs) <= (ulong)(2 * MaxJumpMs);
}

/// <summary>An event <see cref="TimeJumpScreen"/> refused, with the times around it for the message.</summary>
/// <param name="Ordinal">Its place among the file's events, from 0.</param>
/// <param name="UnixTimeMs">Its time.</param>
/// <param name="BeforeMs">The time of the last event taken before it; null when none was.</param>
/// <param name="AfterMs">The time of the event read after it; null at the end of the file.</param>
public sealed record RefusedEvent(long Ordinal, long UnixTimeMs, long? BeforeMs, long? AfterMs)
{
    /// <summary>Where the time lies against the lines around it, e.g. "2055-07-24T00:00:00Z is 11574 days after the line taken before it (…) and 11574 days after the line after it (…)".</summary>
    public string Describe()
    {
        var before = BeforeMs is { } b ? $"is {Distance(UnixTimeMs - b)} the line taken before it ({Show(b)})" : "has no line taken before it";
        var after = AfterMs is { } a ? $"{(BeforeMs is null ? "is " : string.Empty)}{Distance(UnixTimeMs - a)} the line after it ({Show(a)})" : "no line after it";
        return $"{Show(UnixTimeMs)} {before} and {after}";
    }

    private static string Show(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Distance(long ms)
    {
        var span = TimeSpan.FromMilliseconds(Math.Abs(ms));
        var size = span.TotalDays >= 2 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(span.TotalDays):0} days")
            : span.TotalHours >= 2 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(span.TotalHours):0} hours")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(span.TotalSeconds):0} s");
        return ms >= 0 ? $"{size} after" : $"{size} before";
    }
}
