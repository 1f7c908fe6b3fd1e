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
