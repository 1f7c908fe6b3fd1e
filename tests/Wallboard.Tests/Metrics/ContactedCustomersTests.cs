using Wallboard.Metrics.Engine;

namespace Wallboard.Tests.Metrics;

public sealed class ContactedCustomersTests
{
    private const long Day = 86_400_000L;

    [Fact]
    public void CustomersOutOfTheWindowAreForgotten()
    {
        var customers = new ContactedCustomers(windowMs: 30 * Day);
        for (var i = 0; i < 1_000; i++)
        {
            customers.Record($"1380000{i:D4}", i * 1_000L);
        }

        Assert.True(customers.RecordAndCheckRepeat("13800000999", 10 * Day));
        Assert.Equal(1_000, customers.Indexed);

        // 41 days on, every earlier contact (the last on day 10) has left the 30-day window.
        Assert.False(customers.RecordAndCheckRepeat("13800000999", 41 * Day));
        Assert.Equal(1, customers.Indexed);
    }
}
