using System.Globalization;
using NodaTime;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Names;

namespace Wallboard.Reports;

/// <summary>
/// Produces a report's PDF from the history store. Stateless between calls and safe to share:
/// the scheduler, the HTTP endpoint and <c>wallboard report</c> all use one.
/// </summary>
public sealed class ReportGenerator
{
    private readonly IKpiHistoryStore _store;
    private readonly ReportOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<NameDirectory> _names;

    /// <param name="store">Where the counters are read.</param>
    /// <param name="options">Targets, definitions and fonts.</param>
    /// <param name="time">The clock stamped on the report.</param>
    /// <param name="names">The directory in force when a report is made (display names, agents' daily call targets, queues' service-level targets); none when omitted.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public ReportGenerator(IKpiHistoryStore store, ReportOptions options, TimeProvider time, Func<NameDirectory>? names = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _store = store;
        _options = options;
        _time = time;
        _names = names ?? (static () => NameDirectory.Empty);
    }

    /// <summary>Reads the period and the one before it from the store and lays out the PDF.</summary>
    /// <exception cref="ArgumentException">Unknown time zone or language.</exception>
    /// <exception cref="FileNotFoundException">A configured font file is missing.</exception>
    /// <exception cref="InvalidOperationException">The font has no CJK glyphs for a Chinese report.</exception>
    public async Task<GeneratedReport> GenerateAsync(ReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = ReportText.For(request.Language);
        var period = ReportRange.For(request.Period, request.Date, request.TimeZone);
        var zone = IntervalCalendar.ResolveZone(request.TimeZone);
        var fonts = ReportFonts.Load(_options);
        if (text != ReportText.English)
        {
            fonts.RequireGlyphs(text.DailyTitle + text.ServiceLevel, _options);
        }

        // Read the watermark before the data: if it covers the period, every point read after it is final.
        var writtenUpTo = await _store.GetWrittenUpToAsync(cancellationToken).ConfigureAwait(false);
        var names = _names();
        var data = await ReportData.LoadAsync(_store, _options, names, period, request.Queues, cancellationToken).ConfigureAwait(false);
        var generatedAt = Instant.FromDateTimeOffset(_time.GetUtcNow()).InZone(zone).ToDateTimeOffset();
        var complete = writtenUpTo >= period.EndMs;
        var title = Title(period, text);
        var queues = request.Queues is { Count: > 0 } named ? string.Join(", ", named.Select(names.QueueName)) : text.AllQueues;
        var pdf = ReportDocument.Render(new ReportContent(
            data, _options, text, fonts, title, queues, generatedAt, complete ? null : IncompleteText(writtenUpTo, zone, text)));
        return new GeneratedReport(
            pdf,
            title,
            FileName(period, text),
            data.Headline,
            complete,
            complete ? null : IncompleteText(writtenUpTo, zone, ReportText.English, period),
            generatedAt)
        {
            HasData = data.HasData,
            Summary = ReportSummary.Sentence(data, _options, text),
            HeadlineRows = HeadlineRow.For(data.Headline, text),
        };
    }

    internal static string Title(ReportRange period, ReportText text)
    {
        return period.Period switch
        {
            ReportPeriod.Weekly => $"{text.WeeklyTitle} {ReportSummary.PeriodName(period, text)}",
            ReportPeriod.Monthly => $"{text.MonthlyTitle} {ReportSummary.PeriodName(period, text)}",
            _ => $"{text.DailyTitle} {period.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
        };
    }

    internal static string FileName(ReportRange period, ReportText text)
    {
        var first = period.FirstDay.ToDateTime(TimeOnly.MinValue);
        var (kind, label) = period.Period switch
        {
            ReportPeriod.Weekly => ("weekly", string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(first)}-W{ISOWeek.GetWeekOfYear(first):00}")),
            ReportPeriod.Monthly => ("monthly", period.FirstDay.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
            _ => ("daily", period.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        };
        return $"wallboard-{kind}-{label}-{text.Language}.pdf";
    }

    private static string IncompleteText(long? writtenUpTo, DateTimeZone zone, ReportText text, ReportRange? period = null)
    {
        if (writtenUpTo is not { } upTo)
        {
            return text.NoHistoryWritten;
        }

        var local = Instant.FromUnixTimeMilliseconds(upTo).InZone(zone).ToDateTimeOffset();
        var written = string.Format(CultureInfo.InvariantCulture, text.WrittenUpTo, local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        return period is null
            ? written
            : $"{written} (the period ends {period.End.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)})";
    }
}
