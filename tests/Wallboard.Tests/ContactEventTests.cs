using Wallboard.Ingest.Model;

namespace Wallboard.Tests;

public sealed class IngestReportTests
{
    [Fact]
    public void KeepsOnlyTheFirstHundredErrorsButCountsAll()
    {
        var report = new IngestReport();
        for (var i = 1; i <= 150; i++)
        {
            report.CountMalformed(new IngestError("f", i, "bad"));
        }

        report.CountEvent();
        Assert.Equal(151, report.LinesRead);
        Assert.Equal(150, report.Malformed);
        Assert.Equal(IngestReport.MaxKeptErrors, report.Errors.Count);
        Assert.Equal(100, report.Errors[^1].Line);
    }
}

public sealed class ContactEventTests
{
    [Fact]
    public void AKnownZeroIsNotAnUnknownDuration()
    {
        var answered = new ContactEvent { Kind = ContactEventKind.CallAnswered, UnixTimeMs = 1, WaitMs = 0, RingMs = 4_000 };
        Assert.Equal(0, answered.WaitMs);
        Assert.Equal(4_000, answered.RingMs);
        Assert.Null(answered.TalkMs);
        Assert.Null(answered.HoldMs);
        Assert.Null(answered.WrapUpMs);

        var withoutWait = answered with { WaitMs = null };
        Assert.Null(withoutWait.WaitMs);
        Assert.Equal(4_000, withoutWait.RingMs);
        Assert.NotEqual(answered, withoutWait);
        Assert.Equal(answered, withoutWait with { WaitMs = 0 });
        Assert.Equal(new ContactEvent { Kind = ContactEventKind.CallAnswered, UnixTimeMs = 1, RingMs = 4_000 }, withoutWait);
    }

    [Fact]
    public void EveryDurationKeepsItsOwnValue()
    {
        var e = new ContactEvent { Kind = ContactEventKind.CallCompleted, UnixTimeMs = 1, WaitMs = 1, TalkMs = 2, RingMs = 3, HoldMs = 4, WrapUpMs = long.MaxValue };
        Assert.Equal((1L, 2L, 3L, 4L, long.MaxValue), (e.WaitMs!.Value, e.TalkMs!.Value, e.RingMs!.Value, e.HoldMs!.Value, e.WrapUpMs!.Value));
        Assert.Null(default(ContactEvent).WaitMs);
    }

    [Fact]
    public void CallsAndCustomersCarryTheKeyOfTheirId()
    {
        // The key is worked out from the text, so a copy of the id made elsewhere has the same one.
        var queued = new ContactEvent { Kind = ContactEventKind.CallQueued, UnixTimeMs = 1, CallId = "1700000000.42", Customer = "13800138000" };
        var again = new ContactEvent { Kind = ContactEventKind.CallAnswered, UnixTimeMs = 2, CallId = new string("1700000000.42".AsSpan()), Customer = "13800138000" };
        Assert.Equal(queued.CallKey, again.CallKey);
        Assert.Equal(queued.CustomerKey, again.CustomerKey);
        Assert.NotEqual(queued.CallKey, queued.CustomerKey);
        Assert.NotEqual(0UL, queued.CallKey);

        var other = queued with { CallId = "1700000000.43", Customer = null };
        Assert.NotEqual(queued.CallKey, other.CallKey);
        Assert.Equal(IdKey.Of("1700000000.43"), other.CallKey);
        Assert.Equal(0UL, other.CustomerKey);
        Assert.Equal(0UL, (queued with { CallId = "" }).CallKey);
        Assert.Equal(0UL, default(ContactEvent).CallKey);
    }
}
