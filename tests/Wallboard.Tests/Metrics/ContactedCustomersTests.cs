using Wallboard.Ingest.Model;
using Wallboard.Metrics.Engine;

namespace Wallboard.Tests.Metrics;

public sealed class ContactedCustomersTests
{
    private const long Day = 86_400_000L;

    [Fact]
    public void ARepeatIsAContactWithinTheWindowBefore()
    {
        var customers = new ContactedCustomers(windowMs: 30 * Day);
        for (var i = 0; i < 1_000; i++)
        {
            customers.Record(IdKey.Of($"1380000{i:D4}"), i * 1_000L);
        }

        // The last contact of 13800000999 was at 999 s: 30 days after it is still inside, one ms more is not.
        Assert.True(customers.RecordAndCheckRepeat(IdKey.Of("13800000999"), 10 * Day));
        Assert.False(customers.RecordAndCheckRepeat(IdKey.Of("13800000500"), (30 * Day) + 500_001));
        Assert.True(customers.RecordAndCheckRepeat(IdKey.Of("13800000998"), (30 * Day) + 998_000));

        // 41 days on, the last contact (day 10) has left the window; this one starts a new one.
        Assert.False(customers.RecordAndCheckRepeat(IdKey.Of("13800000999"), 41 * Day));
        Assert.True(customers.RecordAndCheckRepeat(IdKey.Of("13800000999"), 42 * Day));
        Assert.False(customers.RecordAndCheckRepeat(IdKey.Of("13900000000"), 42 * Day));
    }

    [Fact]
    public void MemoryFollowsTheWindowNotTheUptime()
    {
        // 100 days of 1,000 new customers a day, one disposition a day (at 23:00) folding them in:
        // 100,000 customers seen, 30,000 of them in a 30-day window.
        var customers = new ContactedCustomers(windowMs: 30 * Day);
        for (var day = 0; day < 100; day++)
        {
            for (var i = 0; i < 1_000; i++)
            {
                customers.Record(IdKey.Of($"1{day:D3}{i:D7}"), (day * Day) + (i * 60_000L));
            }

            customers.RecordAndCheckRepeat(IdKey.Of($"1{day:D3}0000000"), (day * Day) + (23 * 3_600_000L));
        }

        // Swept every 7.5 days (a quarter window), the last time at day 96 23:00: days 67 to 99 are
        // left, and day 66's disposition customer, contacted exactly 30 days before the sweep.
        Assert.Equal(33_001, customers.Indexed);
        Assert.True(customers.RecordAndCheckRepeat(IdKey.Of("10900000123"), 99 * Day));
        Assert.False(customers.RecordAndCheckRepeat(IdKey.Of("10600000123"), 99 * Day));
    }
}
