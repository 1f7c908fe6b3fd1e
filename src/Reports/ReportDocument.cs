using System.Globalization;
using NodaTime;
using SkiaSharp;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Targets;
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

/// <summary>
/// Turns report data into pages. Page 1 answers "how did it go": the summary sentence, the key
/// figures against their targets and the periods compared with, and the two charts of volume and
/// service level. What went wrong follows (the hours that missed, the waits), then the detail:
/// queues, agents, campaigns and the definitions. Charts are in ReportDocument.Charts.cs, tables
/// in ReportDocument.Tables.cs.
/// </summary>
internal sealed partial class ReportDocument
{
    private static readonly SKColor Ink = SKColor.Parse("#1B2430");
    private static readonly SKColor Muted = SKColor.Parse("#5B6675");
    private static readonly SKColor Accent = SKColor.Parse("#2B4C7E");
    private static readonly SKColor Good = SKColor.Parse("#1E8449");
    private static readonly SKColor Bad = SKColor.Parse("#C0392B");
    private static readonly SKColor Neutral = SKColor.Parse("#98A2B0");
    private static readonly SKColor Stripe = SKColor.Parse("#F3F5F8");
    private static readonly SKColor Rule = SKColor.Parse("#D5DAE1");
    private static readonly SKColor Warning = SKColor.Parse("#FDEBD0");
    private static readonly SKColor Caution = SKColor.Parse("#9A5B00");
    private static readonly SKColor SummaryFill = SKColor.Parse("#EEF2F8");

    private readonly ReportContent _content;
    private readonly ReportData _data;
    private readonly ReportText _text;
    private readonly CultureInfo _culture;
    private readonly DateTimeZone _zone;
    private readonly TextStyle _title;
    private readonly TextStyle _subtitle;
    private readonly TextStyle _heading;
    private readonly TextStyle _body;
    private readonly TextStyle _note;
    private readonly TableStyle _table;
    private readonly KeyFigureStyle _figures;
    private readonly TextStyle _small;
    private readonly TextStyle _smallBold;
    private readonly TextStyle _chartTitle;

    private ReportDocument(ReportContent content)
    {
        _content = content;
        _data = content.Data;
        _text = content.Text;
        _culture = CultureInfo.GetCultureInfo(_text.CultureName);
        _zone = IntervalCalendar.ResolveZone(content.Data.Period.TimeZone);
        var regular = content.Fonts.Regular;
        var bold = content.Fonts.Bold;
        _title = new TextStyle(bold, 18, Ink);
        _subtitle = new TextStyle(regular, 9, Muted);
        _heading = new TextStyle(bold, 12.5f, Accent);
        _body = new TextStyle(regular, 9, Ink);
        _note = new TextStyle(regular, 7.5f, Muted);
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

    /// <summary>The blocks of a document, for tests of its layout.</summary>
    internal static IEnumerable<Block> BlocksOf(ReportContent content) => new ReportDocument(content).Blocks();

    private IEnumerable<Block> Blocks()
    {
        yield return new TextBlock(_content.Title, _title) { SpaceAfter = 2 };
        yield return new TextBlock(Subtitle(), _subtitle) { SpaceAfter = 10 };
        if (_content.IncompleteReason is { } reason)
        {
            yield return new TextBlock($"{_text.IncompleteWarning} {reason}", new TextStyle(_content.Fonts.Bold, 9, Bad)) { Background = Warning, SpaceAfter = 8 };
        }

        if (!_data.HasData)
        {
            // Nothing to chart or tabulate: empty axes and tables of dashes would only hide the message.
            yield return new TextBlock(ReportSummary.NoData(_data, _text), new TextStyle(_content.Fonts.Bold, 11, Ink)) { Background = SummaryFill, SpaceAfter = 14 };
            yield break;
        }

        foreach (var partial in _data.PartialComparisons)
        {
            yield return new TextBlock(PartialText(partial), new TextStyle(_content.Fonts.Bold, 8.5f, Caution)) { Background = Warning, SpaceAfter = 8 };
        }

        // The sentence heads the key figures; a heading between them would only push page 1's charts off it.
        yield return new TextBlock(ReportSummary.Sentence(_data, _content.Options, _text), _body.With(size: 10, typeface: _content.Fonts.Bold)) { Background = SummaryFill, SpaceAfter = 10 };
        yield return new KeyFigureBlock(Figures(), _figures, columns: 4) { SpaceAfter = 12 };

        foreach (var block in FirstPageCharts().Concat(MissedHours()).Concat(Waits()).Concat(MoreCharts()).Concat(Tables()))
        {
            yield return block;
        }

        yield return Heading(_text.Definitions);
        foreach (var definition in Definitions())
        {
            yield return new TextBlock(definition, _body.With(size: 8.5f)) { SpaceAfter = 3 };
        }
    }

    private string Subtitle()
    {
        var headline = _data.Headline;
        var compared = headline.WeekAgoPeriod is { } weekAgo
            ? string.Format(_culture, _text.ComparedWithBoth, PeriodText(headline.PreviousPeriod), PeriodText(weekAgo))
            : PeriodText(headline.PreviousPeriod);
        return $"{_text.Labelled(_text.PeriodLabel, PeriodText(_data.Period))} · {_text.Labelled(_text.TimeZoneLabel, _data.Period.TimeZone)} · {_text.Labelled(_text.QueuesLabel, _content.Queues)}\n"
            + $"{_text.Labelled(_text.ComparedWith, compared)} · {_text.Labelled(_text.Produced, ProducedAt)}";
    }

    private string ProducedAt => _content.GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private string PartialText(PartialComparison partial)
    {
        string Local(long ms) => Instant.FromUnixTimeMilliseconds(ms).InZone(_zone).ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return string.Format(_culture, _text.PartialComparisonWarning, PeriodText(partial.Period), Local(partial.FirstMs), Local(partial.EndMs));
    }

    private TextBlock Heading(string text) => new(text, _heading) { SpaceAfter = 5, KeepWithNext = 60 };

    private TextBlock Paragraph(string text) => new(text, _body) { SpaceAfter = 14 };

    private TextBlock Note(string text) => new(text, _note) { SpaceAfter = 4 };

    private List<KeyFigure> Figures()
    {
        var headline = _data.Headline;
        var options = _content.Options;
        var rings = _text.RingRateLabel(options.Kpi.Rings);
        return
        [
            Figure(_text.Offered, "offered", headline.Offered, ReportFormat.Count, ReportFormat.CountChange, target: null),
            Figure(_text.Answered, "answered", headline.Answered, ReportFormat.Count, ReportFormat.CountChange, target: null),
            Figure(_text.ServiceLevel, "service_level", headline.ServiceLevel, ReportFormat.Percent, Points, options.ServiceLevelTarget),
            Figure(rings, "ring_rate", headline.RingRate, ReportFormat.Percent, Points, options.RingRateTarget),
            Figure(_text.Asa, "asa_seconds", headline.AsaSeconds, ReportFormat.Duration, ReportFormat.DurationChange, options.AsaTargetSeconds),
            Figure(_text.Aht, "aht_seconds", headline.AhtSeconds, ReportFormat.Duration, ReportFormat.DurationChange, target: null),
            Figure(_text.AbandonRate, "abandon_rate", headline.AbandonRate, ReportFormat.Percent, Points, options.AbandonRateTarget),
            Figure(_text.ConversionRate, "conversion_rate", headline.ConversionRate, ReportFormat.Percent, Points, target: null),
        ];

        string? Points(KpiComparison figure) => ReportFormat.PointsChange(figure, _text.Points);
    }

    /// <summary>
    /// A key figure: its value; its change against the period before and, for a day, the same
    /// weekday a week before (green when it improved, red when it got worse, grey for volumes,
    /// which are better neither way: the KPI's direction in <see cref="KpiDirections"/>); its
    /// target and where it stands.
    /// </summary>
    private KeyFigure Figure(string label, string kpi, KpiComparison figure, Func<double?, string> format, Func<KpiComparison, string?> change, double? target)
    {
        var direction = KpiDirections.Of(kpi);
        var goal = KpiTarget.For(kpi, target);
        // A change that rounds to nothing ("±0.0 pts") is grey whatever its sign.
        SKColor Colour(string? shown, double? value) => shown?.StartsWith('±') == true ? Neutral : ChangeColor(value, direction);
        var lines = new List<FigureLine>
        {
            new(Versus(change(figure)), Colour(change(figure), figure.Change)),
        };
        if (_data.Headline.WeekAgoPeriod is { } weekAgo)
        {
            var weekday = weekAgo.FirstDay.ToString("ddd", _culture);
            var weekChange = change(figure.AgainstWeekAgo);
            lines.Add(new(
                weekChange is null ? string.Format(_culture, _text.NoWeekAgo, weekday) : string.Format(_culture, _text.VersusWeekAgo, weekChange, weekday),
                Colour(weekChange, figure.AgainstWeekAgo.Change)));
        }

        var status = FigureStatus.None;
        if (goal is not null)
        {
            var standing = goal.Judge(figure.Current);
            status = standing switch
            {
                TargetStanding.None => FigureStatus.None,
                TargetStanding.AboveWorse or TargetStanding.BelowWorse => FigureStatus.Missed,
                _ => FigureStatus.Met,
            };
            lines.Add(new($"{_text.Target} {format(goal.Value)}", Muted));
            lines.Add(new(standing == TargetStanding.None ? ReportFormat.Missing : _text.Standing(standing), status == FigureStatus.Missed ? Bad : Good));
        }

        return new KeyFigure(label, format(figure.Current), lines, status);
    }

    private static SKColor ChangeColor(double? change, KpiDirection? direction) =>
        direction is { } d ? KpiTarget.Improvement(d, change) switch
        {
            > 0 => Good,
            < 0 => Bad,
            _ => Neutral,
        } : Neutral;

    private string Versus(string? change) =>
        change is null ? _text.NoPrevious : string.Format(_culture, _text.VersusPrevious, change);

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
        if (_data.ForecastByHour.Count > 0 || _data.Adherence.Count > 0)
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
        string.Format(_culture, _text.RingDefinition, _content.Options.Kpi.Rings, _content.Options.Kpi.RingSeconds, _text.RingRateLabel(_content.Options.Kpi.Rings));

    private string PeriodText(ReportRange range) => ReportSummary.PeriodText(range, _text);

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
        var period = $"{_text.Labelled(_text.PeriodLabel, PeriodText(_data.Period) + string.Format(_culture, _text.Parenthesis, _data.Period.TimeZone))} · {_text.Labelled(_text.Produced, ProducedAt)}";
        _smallBold.With(color: Muted).DrawLine(canvas, period, footer.Left, bottom, footer.Width * 0.8f);
        _smallBold.DrawLine(canvas, string.Format(_culture, _text.PageOf, frame.Number, frame.Count), footer.Left, bottom, footer.Width, TextAlignment.Right);
    }
}
