using System.Globalization;
using NodaTime;
using SkiaSharp;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Rows;
using Wallboard.Reports.Layout;

namespace Wallboard.Reports;

/// <summary>What a report document is made from.</summary>
internal sealed record ReportContent(
    ReportData Data,
    ReportOptions Options,
    ReportText Text,
    ReportFonts Fonts,
    string Title,
    string Queues,
    DateTimeOffset GeneratedAt,
    string? IncompleteReason);

/// <summary>Turns report data into pages: the headline, charts, tables and definitions, in that order.</summary>
internal sealed class ReportDocument
{
    /// <summary>The most missed hours listed for a week or month; the worst come first.</summary>
    internal const int MaxMissedHours = 30;

    private static readonly SKColor Ink = SKColor.Parse("#1B2430");
    private static readonly SKColor Muted = SKColor.Parse("#5B6675");
    private static readonly SKColor Accent = SKColor.Parse("#2B4C7E");
    private static readonly SKColor Good = SKColor.Parse("#1E8449");
    private static readonly SKColor Bad = SKColor.Parse("#C0392B");
    private static readonly SKColor Neutral = SKColor.Parse("#98A2B0");
    private static readonly SKColor Stripe = SKColor.Parse("#F3F5F8");
    private static readonly SKColor Rule = SKColor.Parse("#D5DAE1");
    private static readonly SKColor Warning = SKColor.Parse("#FDEBD0");

    private const float ChartHeight = 170;

    private readonly ReportContent _content;
    private readonly ReportText _text;
    private readonly CultureInfo _culture;
    private readonly DateTimeZone _zone;
    private readonly TextStyle _title;
    private readonly TextStyle _subtitle;
    private readonly TextStyle _heading;
    private readonly TextStyle _body;
    private readonly TableStyle _table;
    private readonly KeyFigureStyle _figures;
    private readonly TextStyle _small;
    private readonly TextStyle _smallBold;
    private readonly TextStyle _chartTitle;

    private ReportDocument(ReportContent content)
    {
        _content = content;
        _text = content.Text;
        _culture = CultureInfo.GetCultureInfo(_text.CultureName);
        _zone = IntervalCalendar.ResolveZone(content.Data.Period.TimeZone);
        var regular = content.Fonts.Regular;
        var bold = content.Fonts.Bold;
        _title = new TextStyle(bold, 18, Ink);
        _subtitle = new TextStyle(regular, 9, Muted);
        _heading = new TextStyle(bold, 12.5f, Accent);
        _body = new TextStyle(regular, 9, Ink);
        _small = new TextStyle(regular, 6.5f, Muted);
        _smallBold = new TextStyle(bold, 7.5f, Ink);
        _chartTitle = new TextStyle(bold, 9.5f, Ink);
        _table = new TableStyle(new TextStyle(bold, 7.5f, SKColors.White), new TextStyle(regular, 8, Ink), Accent, Stripe, Rule);
        _figures = new KeyFigureStyle(new TextStyle(regular, 8.5f, Muted), new TextStyle(bold, 19, Ink), new TextStyle(regular, 7.5f, Muted), Rule, Good, Bad, Neutral);
    }

    public static byte[] Render(ReportContent content)
    {
        var document = new ReportDocument(content);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = content.Title,
            Author = "Wallboard",
            Creator = "Wallboard reports",
            Producer = "Wallboard (SkiaSharp PDF)",
            // The same data and clock give the same bytes: a retried send attaches an identical file.
            Creation = content.GeneratedAt.UtcDateTime,
            Modified = content.GeneratedAt.UtcDateTime,
            RasterDpi = 300,
        };
        return PageLayout.RenderPdf(document.Blocks(), new PageSetup(), document.Decorate, metadata);
    }

    private IEnumerable<Block> Blocks()
    {
        var data = _content.Data;
        yield return new TextBlock(_content.Title, _title) { SpaceAfter = 2 };
        yield return new TextBlock(
            $"{_text.PeriodLabel}: {PeriodText(data.Period)} · {_text.TimeZoneLabel}: {data.Period.TimeZone} · {_text.QueuesLabel}: {_content.Queues}\n"
            + $"{_text.ComparedWith}: {PeriodText(data.Headline.PreviousPeriod)} · {_text.Produced}: {_content.GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}",
            _subtitle) { SpaceAfter = 10 };
        if (_content.IncompleteReason is { } reason)
        {
            yield return new TextBlock($"{_text.IncompleteWarning} {reason}", new TextStyle(_content.Fonts.Bold, 9, Bad)) { Background = Warning, SpaceAfter = 10 };
        }

        yield return Heading(_text.Headline);
        yield return new KeyFigureBlock(Figures(), _figures, columns: 4) { SpaceAfter = 14 };

        foreach (var chart in Charts())
        {
            yield return chart;
        }

        yield return Heading(_text.QueuesTable);
        yield return data.Queues.Count == 0 ? Paragraph(_text.NoData) : QueueTable();
        yield return Heading(_text.AgentsTable);
        yield return data.Agents.Count == 0 ? Paragraph(_text.NoData) : AgentTable();
        if (data.Adherence.Count > 0)
        {
            yield return Heading(_text.AdherenceTable);
            yield return AdherenceTable();
        }

        yield return Heading(_text.CampaignsTable);
        yield return data.Campaigns.Count == 0 ? Paragraph(_text.NoData) : CampaignTable();
        yield return Heading(_text.MissedHoursTable);
        foreach (var block in MissedHours())
        {
            yield return block;
        }

        yield return Heading(_text.Definitions);
        foreach (var definition in Definitions())
        {
            yield return new TextBlock(definition, _body.With(size: 8.5f)) { SpaceAfter = 3 };
        }
    }

    private TextBlock Heading(string text) => new(text, _heading) { SpaceAfter = 5, KeepWithNext = 60 };

    private TextBlock Paragraph(string text) => new(text, _body) { SpaceAfter = 14 };

    private List<KeyFigure> Figures()
    {
        var headline = _content.Data.Headline;
        var options = _content.Options;
        return
        [
            new(_text.Offered, ReportFormat.Count(headline.Offered.Current), Versus(ReportFormat.CountChange(headline.Offered)), Neutral, null, FigureStatus.None),
            new(_text.Answered, ReportFormat.Count(headline.Answered.Current), Versus(ReportFormat.CountChange(headline.Answered)), Neutral, null, FigureStatus.None),
            Ratio(_text.ServiceLevel, headline.ServiceLevel, options.ServiceLevelTarget, higherIsBetter: true),
            Ratio(string.Format(_culture, _text.RingRate, options.Kpi.Rings), headline.RingRate, options.RingRateTarget, higherIsBetter: true),
            Time(_text.Asa, headline.AsaSeconds, options.AsaTargetSeconds),
            Time(_text.Aht, headline.AhtSeconds, target: null),
            Ratio(_text.AbandonRate, headline.AbandonRate, options.AbandonRateTarget, higherIsBetter: false),
            Ratio(_text.ConversionRate, headline.ConversionRate, target: null, higherIsBetter: true),
        ];

        KeyFigure Ratio(string label, KpiComparison figure, double? target, bool higherIsBetter)
        {
            var status = Status(figure.Current, target, higherIsBetter);
            return new KeyFigure(
                label,
                ReportFormat.Percent(figure.Current),
                Versus(ReportFormat.PointsChange(figure, _text.Points)),
                ChangeColor(figure.Change, higherIsBetter),
                target is { } t ? TargetLine(ReportFormat.Percent(t), status) : null,
                status);
        }

        KeyFigure Time(string label, KpiComparison figure, double? target)
        {
            var status = Status(figure.Current, target, higherIsBetter: false);
            return new KeyFigure(
                label,
                ReportFormat.Duration(figure.Current),
                Versus(ReportFormat.DurationChange(figure)),
                target is null ? Neutral : ChangeColor(figure.Change, higherIsBetter: false),
                target is { } t ? TargetLine(ReportFormat.Duration(t), status) : null,
                status);
        }

        static FigureStatus Status(double? value, double? target, bool higherIsBetter) => (value, target) switch
        {
            ({ } v, { } t) => (higherIsBetter ? v >= t : v <= t) ? FigureStatus.Met : FigureStatus.Missed,
            _ => FigureStatus.None,
        };

        static SKColor ChangeColor(double? change, bool higherIsBetter) => change switch
        {
            null or 0 => Neutral,
            > 0 => higherIsBetter ? Good : Bad,
            _ => higherIsBetter ? Bad : Good,
        };
    }

    private string TargetLine(string target, FigureStatus status) =>
        $"{_text.Target} {target} · {(status == FigureStatus.Met ? _text.TargetMet : status == FigureStatus.Missed ? _text.TargetMissed : ReportFormat.Missing)}";

    private string Versus(string? change) =>
        change is null ? _text.NoPrevious : string.Format(_culture, _text.VersusPrevious, change);

    private IEnumerable<Block> Charts()
    {
        var data = _content.Data;
        var target = _content.Options.ServiceLevelTarget;
        if (data.Period.Period == ReportPeriod.Daily)
        {
            var hours = Steps(data.ByStep, IntervalLength.Hour, start => start.ToString("HH", CultureInfo.InvariantCulture));
            yield return Chart(ReportCharts.Volume(hours, _text.VolumeByHour, _text));
            if (data.ForecastByHour.Count > 0)
            {
                var forecast = hours.Select(step => step.Row.IntervalStart is { } start && data.ForecastByHour.TryGetValue(start.ToUnixTimeMilliseconds(), out var f) ? f : (double?)null).ToList();
                yield return Chart(ReportCharts.ForecastVsActual(hours, forecast, _text.ForecastVsActual, _text));
            }

            yield return Chart(ReportCharts.ServiceLevel(hours, target, _text.ServiceLevelByHour, _text));
            yield return Chart(ReportCharts.Aht(hours, _text.AhtByHour, _text));
            yield break;
        }

        var days = Steps(data.ByStep, IntervalLength.Day, start => start.ToString(_text.ShortDayFormat, _culture));
        var hourOfDay = data.HourOfDay.Select((row, hour) => new ChartStep(hour.ToString("00", CultureInfo.InvariantCulture), row)).ToList();
        yield return Chart(ReportCharts.Volume(days, _text.VolumeByDay, _text));
        yield return Chart(ReportCharts.ServiceLevel(days, target, _text.ServiceLevelByDay, _text));
        yield return Chart(ReportCharts.Aht(days, _text.AhtByDay, _text));
        yield return Chart(ReportCharts.Volume(hourOfDay, _text.VolumeByHourOfDay, _text));
        yield return Chart(ReportCharts.ServiceLevel(hourOfDay, target, _text.ServiceLevelByHourOfDay, _text));
    }

    private FixedBlock Chart(ChartSpec chart) =>
        new(ChartHeight, (canvas, box) => ReportCharts.Draw(canvas, box, chart, _chartTitle, _small.With(size: 7.5f), _content.Fonts.ChartFontName)) { SpaceAfter = 12 };

    /// <summary>Every step of the period in order, with an empty row where no calls were stored, so the axis has no gaps.</summary>
    private List<ChartStep> Steps(IReadOnlyList<QueueKpiRow> rows, IntervalLength step, Func<DateTimeOffset, string> label)
    {
        var period = _content.Data.Period;
        var byStart = rows.Where(row => row.IntervalStart is not null).ToDictionary(row => row.IntervalStart!.Value.ToUnixTimeMilliseconds());
        var calendar = new IntervalCalendar(_zone, step);
        var steps = new List<ChartStep>();
        for (var start = period.StartMs; start < period.EndMs; start = calendar.EndOf(start))
        {
            var local = calendar.ToLocal(start)!.Value;
            var row = byStart.TryGetValue(start, out var found) ? found : QueueKpiRow.From(ReportData.AllQueues, local, default(QueueCounters), _content.Options.Kpi.DefaultQueue.SlFormula);
            steps.Add(new ChartStep(label(local), row));
        }

        return steps;
    }

    private TableBlock QueueTable()
    {
        var rows = _content.Data.Queues;
        var columns = new TableColumn[]
        {
            new(_text.Queue, 1.6f),
            new(_text.Offered, 1, TextAlignment.Right),
            new(_text.Answered, 1.05f, TextAlignment.Right),
            new(_text.Abandoned, 1.15f, TextAlignment.Right),
            new(_text.Withdrawn, 1.1f, TextAlignment.Right),
            new(_text.ServiceLevel, 1.1f, TextAlignment.Right),
            new(string.Format(_culture, _text.RingRate, _content.Options.Kpi.Rings), 1.2f, TextAlignment.Right),
            new(_text.Asa, 1.1f, TextAlignment.Right),
            new(_text.Aht, 1, TextAlignment.Right),
            new(_text.AbandonRate, 1.1f, TextAlignment.Right),
        };
        var cells = rows.Select(row => (IReadOnlyList<string>)
        [
            row.QueueName, ReportFormat.Count(row.Offered), ReportFormat.Count(row.Answered), ReportFormat.Count(row.Abandoned),
            ReportFormat.Count(row.Withdrawn), ReportFormat.Percent(row.ServiceLevel), ReportFormat.Percent(row.RingRate),
            ReportFormat.Duration(row.AsaSeconds), ReportFormat.Duration(row.AhtSeconds), ReportFormat.Percent(row.AbandonRate),
        ]).ToList();

        // A queue's own service-level target (docs/directory.md) before the report's.
        var names = _content.Data.Names;
        var target = _content.Options.ServiceLevelTarget;
        return new TableBlock(columns, cells, _table)
        {
            SpaceAfter = 14,
            CellColor = (row, column) => column == 5 && rows[row].ServiceLevel < (names.SlTarget(rows[row].Queue) ?? target) ? Bad : null,
        };
    }

    private TableBlock AgentTable()
    {
        var rows = _content.Data.Agents;
        var columns = new TableColumn[]
        {
            new(_text.Agent, 2.2f),
            new(_text.Handled, 1, TextAlignment.Right),
            new(_text.Aht, 1, TextAlignment.Right),
            new(_text.Login, 1, TextAlignment.Right),
            new(_text.Pause, 1, TextAlignment.Right),
            new(_text.Occupancy, 1.1f, TextAlignment.Right),
            new(_text.Conversions, 1.1f, TextAlignment.Right),
            new(_text.CallTarget, 1.2f, TextAlignment.Right),
        };
        var cells = rows.Select(agent => (IReadOnlyList<string>)
        [
            agent.Row.AgentName, ReportFormat.Count(agent.Row.Handled), ReportFormat.Duration(agent.Row.AhtSeconds),
            ReportFormat.Hours(agent.Row.LoginSeconds), ReportFormat.Hours(agent.Row.PauseSeconds), ReportFormat.Percent(agent.Row.Occupancy),
            ReportFormat.Count(agent.Row.Conversions), ReportFormat.Percent(agent.Row.CallTargetAttainment),
        ]).ToList();
        return new TableBlock(columns, cells, _table)
        {
            SpaceAfter = 14,
            CellColor = (row, column) => column == 7 && rows[row].Row.CallTargetAttainment < 1 ? Bad : null,
        };
    }

    private TableBlock AdherenceTable()
    {
        var rows = _content.Data.Adherence;
        var columns = new TableColumn[]
        {
            new(_text.Agent, 2.2f),
            new(_text.Scheduled, 1, TextAlignment.Right),
            new(_text.Adherence, 1, TextAlignment.Right),
            new(_text.Conformance, 1, TextAlignment.Right),
        };
        var cells = rows.Select(row => (IReadOnlyList<string>)
        [
            row.Agent, ReportFormat.Hours(row.ScheduledSeconds), ReportFormat.Percent(row.Adherence), ReportFormat.Percent(row.Conformance),
        ]).ToList();
        return new TableBlock(columns, cells, _table) { SpaceAfter = 14 };
    }

    private TableBlock CampaignTable()
    {
        var columns = new TableColumn[]
        {
            new(_text.Campaign, 2.5f),
            new(_text.Attempts, 1, TextAlignment.Right),
            new(_text.ConnectRate, 1, TextAlignment.Right),
            new(_text.Conversions, 1, TextAlignment.Right),
            new(_text.ConversionRate, 1, TextAlignment.Right),
        };
        var cells = _content.Data.Campaigns.Select(row => (IReadOnlyList<string>)
        [
            row.CampaignName, ReportFormat.Count(row.Attempts), ReportFormat.Percent(row.ConnectRate),
            ReportFormat.Count(row.Conversions), ReportFormat.Percent(row.ConversionRate),
        ]).ToList();
        return new TableBlock(columns, cells, _table) { SpaceAfter = 14 };
    }

    private IEnumerable<Block> MissedHours()
    {
        var target = _content.Options.ServiceLevelTarget;
        var missed = _content.Data.ByHour.Where(row => row.ServiceLevel < target).ToList();
        if (missed.Count == 0)
        {
            yield return Paragraph(_text.NoMissedHours);
            yield break;
        }

        var daily = _content.Data.Period.Period == ReportPeriod.Daily;
        if (!daily && missed.Count > MaxMissedHours)
        {
            yield return new TextBlock(string.Format(_culture, _text.WorstOf, MaxMissedHours, missed.Count), _body) { SpaceAfter = 4 };
            missed = [.. missed.OrderBy(row => row.ServiceLevel).Take(MaxMissedHours)];
        }

        var columns = new TableColumn[]
        {
            new(_text.Interval, 2.2f),
            new(_text.Offered, 1, TextAlignment.Right),
            new(_text.Answered, 1, TextAlignment.Right),
            new(_text.ServiceLevel, 1, TextAlignment.Right),
            new(_text.Shortfall, 1, TextAlignment.Right),
            new(_text.Asa, 1, TextAlignment.Right),
            new(_text.AbandonRate, 1, TextAlignment.Right),
        };
        var cells = missed.Select(row => (IReadOnlyList<string>)
        [
            HourLabel(row.IntervalStart!.Value, daily), ReportFormat.Count(row.Offered), ReportFormat.Count(row.Answered),
            ReportFormat.Percent(row.ServiceLevel), ReportFormat.PointsChange(new KpiComparison(row.ServiceLevel, target), _text.Points) ?? ReportFormat.Missing,
            ReportFormat.Duration(row.AsaSeconds), ReportFormat.Percent(row.AbandonRate),
        ]).ToList();
        yield return new TableBlock(columns, cells, _table) { SpaceAfter = 14, CellColor = (_, column) => column is 3 or 4 ? Bad : null };
    }

    private string HourLabel(DateTimeOffset start, bool daily)
    {
        var end = start.AddHours(1);
        // A hyphen, not an en dash: Noto draws the en dash with the figure dash's glyph, so copied text would change.
        var hours = $"{start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{end.ToString("HH:mm", CultureInfo.InvariantCulture)}";
        return daily ? hours : $"{start.ToString(_text.ShortDayFormat, _culture)} {hours}";
    }

    private IEnumerable<string> Definitions()
    {
        var kpi = _content.Options.Kpi;
        yield return ServiceLevelDefinition();
        foreach (var (queue, targets) in kpi.Queues.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            yield return string.Format(_culture, _text.QueueOverride, queue, targets.SlThresholdSeconds, _text.Formula(targets.SlFormula));
        }

        yield return RingDefinition();
        yield return _text.OtherDefinitions;
        if (_content.Data.ForecastByHour.Count > 0 || _content.Data.Adherence.Count > 0)
        {
            yield return _text.AdherenceDefinition;
        }
    }

    private string ServiceLevelDefinition()
    {
        var kpi = _content.Options.Kpi;
        return string.Format(_culture, _text.ServiceLevelDefinition, _text.Formula(kpi.DefaultQueue.SlFormula), kpi.DefaultQueue.SlThresholdSeconds, kpi.ShortAbandonSeconds);
    }

    private string RingDefinition() =>
        string.Format(_culture, _text.RingDefinition, _content.Options.Kpi.Rings, _content.Options.Kpi.RingSeconds);

    private string PeriodText(ReportRange range) => range.Days == 1
        ? range.FirstDay.ToString(_text.DayFormat, _culture)
        : $"{range.FirstDay.ToString(_text.DayFormat, _culture)} – {range.LastDay.ToString(_text.DayFormat, _culture)}";

    /// <summary>The header (title, rule) and footer (definitions, period, production time, page N of M) of every page.</summary>
    private void Decorate(SKCanvas canvas, PageFrame frame)
    {
        using var rule = new SKPaint { Color = Rule, StrokeWidth = 0.75f, IsStroke = true };
        var header = frame.Header;
        var headerStyle = _smallBold.With(size: 8.5f, color: Accent);
        headerStyle.DrawLine(canvas, _content.Title, header.Left, header.Top, header.Width * 0.7f);
        _subtitle.With(size: 8.5f).DrawLine(canvas, "Wallboard", header.Left, header.Top, header.Width, TextAlignment.Right);
        canvas.DrawLine(header.Left, header.Bottom - 4, header.Right, header.Bottom - 4, rule);

        var footer = frame.Footer;
        canvas.DrawLine(footer.Left, footer.Top, footer.Right, footer.Top, rule);
        using var font = _small.CreateFont();
        var top = footer.Top + 3;
        foreach (var line in TextWrapper.Wrap($"{ServiceLevelDefinition()} {RingDefinition()}", font, footer.Width).Take(2))
        {
            _small.DrawLine(canvas, line, footer.Left, top, footer.Width);
            top += _small.LineHeight;
        }

        var bottom = footer.Bottom - _smallBold.LineHeight;
        var period = $"{_text.PeriodLabel}: {PeriodText(_content.Data.Period)} ({_content.Data.Period.TimeZone}) · {_text.Produced}: {_content.GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}";
        _smallBold.With(color: Muted).DrawLine(canvas, period, footer.Left, bottom, footer.Width * 0.8f);
        _smallBold.DrawLine(canvas, string.Format(_culture, _text.PageOf, frame.Number, frame.Count), footer.Left, bottom, footer.Width, TextAlignment.Right);
    }
}
