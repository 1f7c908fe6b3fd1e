using System.Globalization;
using Wallboard.Reports;

namespace Wallboard.Hub.Reports;

/// <summary>Renders with the PDF generator (src/Reports) and formats its headline for the email body.</summary>
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
        return new RenderedReport(report.Pdf, report.Title, report.FileName, Headline(report.Headline), report.Complete, report.IncompleteReason);
    }

    /// <summary>The headline KPIs as the email shows them: counts, percentages with one decimal, times in seconds.</summary>
    public static IReadOnlyList<HeadlineFigure> Headline(ReportHeadline headline)
    {
        ArgumentNullException.ThrowIfNull(headline);
        return
        [
            Figure("Offered", headline.Offered, Count),
            Figure("Answered", headline.Answered, Count),
            Figure(string.Create(CultureInfo.InvariantCulture, $"Service level (target {headline.ServiceLevelTarget:P0})"), headline.ServiceLevel, Percent),
            Figure(string.Create(CultureInfo.InvariantCulture, $"Answered within the rings (target {headline.RingRateTarget:P0})"), headline.RingRate, Percent),
            Figure("ASA", headline.AsaSeconds, Seconds),
            Figure("AHT", headline.AhtSeconds, Seconds),
            Figure("Abandon rate", headline.AbandonRate, Percent),
            Figure("Conversion rate", headline.ConversionRate, Percent),
        ];

        static HeadlineFigure Figure(string name, KpiComparison value, Func<double, string> format) =>
            new(name, value.Current is { } current ? format(current) : "–", value.Previous is { } previous ? format(previous) : "–");

        static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

        static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

        static string Seconds(double value) => value.ToString("0", CultureInfo.InvariantCulture) + " s";
    }
}
