using Wallboard.Reports;

namespace Wallboard.Hub.Reports;

/// <summary>Renders with the PDF generator (src/Reports), which also formats the headline and summary for the email body.</summary>
internal sealed class GeneratorReportRenderer(ReportGenerator generator) : IReportRenderer
{
    public async Task<RenderedReport> RenderAsync(ReportOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var period = order.Kind switch
        {
            ReportKind.Weekly => ReportPeriod.Weekly,
            ReportKind.Monthly => ReportPeriod.Monthly,
            _ => ReportPeriod.Daily,
        };
        var report = await generator.GenerateAsync(new ReportRequest(period, order.Date, order.TimeZone, order.Queues, order.Language), cancellationToken).ConfigureAwait(false);
        return new RenderedReport(report.Pdf, report.Title, report.FileName, report.HeadlineRows, report.Complete, report.IncompleteReason, report.Summary);
    }
}
