using Wallboard.Metrics.Rows;

namespace Wallboard.Tests.Metrics;

/// <summary>What must hold of every queue row of every log (docs/kpis.md).</summary>
internal static class QueueInvariants
{
    /// <summary>offered = answered + abandoned + timed_out + exited_key + exited_empty + withdrawn.</summary>
    public static void AssertOfferedIsTheSumOfOutcomes(IEnumerable<QueueKpiRow> rows)
    {
        foreach (var row in rows)
        {
            Assert.True(
                row.Offered == row.Answered + row.Abandoned + row.TimedOut + row.ExitedKey + row.ExitedEmpty + row.Withdrawn,
                $"{row.Queue} {row.IntervalStart}: offered {row.Offered} ≠ answered {row.Answered} + abandoned {row.Abandoned} + timed_out {row.TimedOut} + exited_key {row.ExitedKey} + exited_empty {row.ExitedEmpty} + withdrawn {row.Withdrawn}");
        }
    }
}
