using Wallboard.Hub.Live.Screens;

namespace Wallboard.Tests.Live;

/// <summary>A tile's arrow compares its value now with its value fifteen minutes before.</summary>
public sealed class TileHistoryTests
{
    private const long Minute = 60_000;
    private const long T0 = 1_777_860_000_000;

    [Fact]
    public void TheArrowIsFlatUntilTheTileHasFifteenMinutesOfHistory()
    {
        var history = new TileHistory();
        Assert.Equal("flat", history.Record("waiting", T0, 2, "number"));
        Assert.Equal("flat", history.Record("waiting", T0 + (14 * Minute), 9, "number"));
        // Fifteen minutes after the first value (2): 9 is up on it.
        Assert.Equal("up", history.Record("waiting", T0 + (15 * Minute), 9, "number"));
    }

    [Fact]
    public void TheArrowComparesWithTheValueInForceFifteenMinutesAgoNotWithThePreviousChange()
    {
        var history = new TileHistory();
        // Calls waiting: 4 at 10:00, 12 at 10:05, 6 at 10:10. At 10:20 the value of 10:05 (12) is in force
        // fifteen minutes before: 6 is down on it, although the last change (12 → 6) was also down and
        // the value of 10:00 (4) would have said up.
        history.Record("waiting", T0, 4, "number");
        history.Record("waiting", T0 + (5 * Minute), 12, "number");
        history.Record("waiting", T0 + (10 * Minute), 6, "number");
        Assert.Equal("down", history.Record("waiting", T0 + (20 * Minute), 6, "number"));
        // At 10:26 the value fifteen minutes before (10:11) is 6: flat, with no change for sixteen minutes.
        Assert.Equal("flat", history.Record("waiting", T0 + (26 * Minute), 6, "number"));
        // 10:40: 3, against 6 in force at 10:25.
        Assert.Equal("down", history.Record("waiting", T0 + (40 * Minute), 3, "number"));
    }

    [Fact]
    public void TwoValuesShownAlikeAreFlatAndAnUnknownValueIsFlat()
    {
        var history = new TileHistory();
        history.Record("sl", T0, 0.801, "percent");
        // 80.1 % and 80.4 % both show "80%": no arrow contradicts two equal figures.
        Assert.Equal("flat", history.Record("sl", T0 + (15 * Minute), 0.804, "percent"));
        Assert.Equal("up", history.Record("sl", T0 + (16 * Minute), 0.81, "percent"));
        Assert.Equal("flat", history.Record("sl", T0 + (17 * Minute), null, "percent"));

        history.Record("asa", T0, null, "duration");
        Assert.Equal("flat", history.Record("asa", T0 + (15 * Minute), 20, "duration"));
    }

    [Fact]
    public void ATileNoLongerOnTheBoardIsForgotten()
    {
        var history = new TileHistory();
        history.Record("old", T0, 1, "number");
        history.Record("kept", T0, 1, "number");
        history.KeepOnly(["kept"]);
        // "old" starts again: no history, flat; "kept" still knows its value of fifteen minutes ago.
        Assert.Equal("flat", history.Record("old", T0 + (15 * Minute), 5, "number"));
        Assert.Equal("up", history.Record("kept", T0 + (15 * Minute), 5, "number"));
    }
}
