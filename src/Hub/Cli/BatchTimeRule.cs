using System.Globalization;
using System.Text;
using Wallboard.Hub.Live.Ingest;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Cdr;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.Pipeline;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Hub.Cli;

/// <summary>
/// The time sanity rule of the commands that read files (<c>kpi</c>, <c>import</c>): an event far from
/// the lines around it in its file (<see cref="TimeJumpScreen"/>, at most
/// <c>Ingest:BatchMaxJumpDays</c> apart) is malformed, counted and reported with its line, field and
/// value like any other; the server's rules against its own clock (<c>Ingest:MaxClockSkewSeconds</c>,
/// <c>HorizonDays</c>) have no meaning for a file of last year.
/// </summary>
internal sealed class BatchTimeRule(TimeSpan maxJump)
{
    public const string Key = $"{IngestOptions.Section}:{nameof(IngestOptions.BatchMaxJumpDays)}";

    /// <summary>The rule configured in section <c>Ingest</c>, checked as the server checks it.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The value is out of range; the failure names the key.</exception>
    /// <exception cref="InvalidOperationException">The value does not convert.</exception>
    public static BatchTimeRule From(IConfiguration configuration) =>
        new(TimeSpan.FromDays(CliConfiguration.Ingest(configuration).BatchMaxJumpDays));

    public TimeJumpScreen Screen(IContactEventSink next) => new(next, maxJump);

    /// <summary>
    /// Counts the events <paramref name="screen"/> refused as malformed lines of the file, each found
    /// again by reading the file (only when something was refused) and named by line, field and value.
    /// </summary>
    /// <param name="screen">The screen the file was read through, completed.</param>
    /// <param name="report">The file's report, where the refused lines were counted as events.</param>
    /// <param name="source">The file's name in the report.</param>
    /// <param name="format">How the file is read again to find a line.</param>
    public void Report(TimeJumpScreen screen, IngestReport report, string source, EventFileFormat format)
    {
        if (screen.Refused.Count == 0)
        {
            return;
        }

        using var lines = format.EventLines().GetEnumerator();
        long ordinal = -1;
        foreach (var refused in screen.Refused)
        {
            while (ordinal < refused.Ordinal && lines.MoveNext())
            {
                ordinal++;
            }

            // Not found again (a CSV row over several lines): the event's place stands in for its line.
            var line = ordinal == refused.Ordinal ? lines.Current : 0;
            var where = line > 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" (event {refused.Ordinal + 1} of the file)");
            report.CountRefusedEvent(new IngestError(source, line, string.Create(CultureInfo.InvariantCulture,
                $"{format.Name(refused.UnixTimeMs)}{where}: {refused.Describe()}; a file is written in time order, so a line more than {maxJump.TotalDays:0.##} days from the lines around it is corrupt ({Key})")));
        }
    }
}

/// <summary>
/// What <see cref="BatchTimeRule"/> needs of an input's format: how its readers name a time field in
/// an error, and the line of each event the file gives, in order, read again line by line.
/// </summary>
internal sealed class EventFileFormat(Func<long, string> name, Func<IEnumerable<long>> eventLines)
{
    /// <summary>The time field as the format's reader names it in errors, e.g. <c>epoch '2700000000'</c> or <c>field "time"</c>.</summary>
    public string Name(long unixMs) => name(unixMs);

    public IEnumerable<long> EventLines() => eventLines();

    public static EventFileFormat QueueLog(string path, AgentAliases aliases) => new(
        static ms => $"epoch '{(ms % 1000 == 0 ? (ms / 1000).ToString(CultureInfo.InvariantCulture) : (ms / 1000m).ToString("0.###", CultureInfo.InvariantCulture))}'",
        () => Lines(path, (parser: new QueueLogParser(aliases), sink: new CountingSink(), report: new IngestReport()), static (state, line, number) =>
            state.parser.Feed(line.AsSpan(), state.sink, state.report, string.Empty, number) == QueueLogLineResult.Event));

    public static EventFileFormat Cdr(string path, TimeZoneInfo zone, CdrDirectionRules rules, AgentAliases aliases) => new(
        static _ => "field \"end\"",
        () => Lines(path, (reader: new CdrReader(zone, rules, aliases), sink: new CountingSink(), report: new IngestReport()), static (state, line, _) =>
        {
            var before = state.sink.Count;
            using var row = new StringReader(line);
            state.reader.Read(row, string.Empty, state.sink, state.report);
            return state.sink.Count > before;
        }));

    public static EventFileFormat Json(string path, AgentAliases aliases) => new(
        static _ => "field \"time\"",
        () => Lines(path, (reader: new JsonEventReader(new JsonEventParser(aliases: aliases)), sink: new CountingSink(), report: new IngestReport()), static (state, line, number) =>
        {
            var before = state.sink.Count;
            state.reader.ReadLine(Encoding.UTF8.GetBytes(line), number, string.Empty, state.sink, state.report);
            return state.sink.Count > before;
        }));

    /// <summary>The numbers of the lines for which <paramref name="givesEvent"/> is true (each line of these formats gives at most one event).</summary>
    private static IEnumerable<long> Lines<TState>(string path, TState state, Func<TState, string, long, bool> givesEvent)
    {
        long number = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (givesEvent(state, line, ++number))
            {
                yield return number;
            }
        }
    }

    private sealed class CountingSink : IContactEventSink
    {
        public long Count { get; private set; }

        public void Accept(in ContactEvent contactEvent) => Count++;
    }
}
