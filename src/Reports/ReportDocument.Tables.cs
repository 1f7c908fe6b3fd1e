using System.Globalization;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Rows;
using Wallboard.Metrics.Targets;
using Wallboard.Reports.Layout;

namespace Wallboard.Reports;

/// <summary>The tables: missed hours, queues, agents, call targets, adherence, campaigns and callbacks.</summary>
internal sealed partial class ReportDocument
{
    /// <summary>The most missed hours listed; the costliest come first.</summary>
    internal const int MaxMissedHours = 30;

    /// <summary>
    /// The hours below the service-level target, ranked by what they cost: the calls not answered
    /// within the threshold. A busy morning hour at 36.9 % outranks a night hour of three calls.
    /// </summary>
    private IEnumerable<Block> MissedHours()
    {
        yield return Heading(_text.MissedHoursTable);
        var missed = ReportSummary.MissedHours(_data, _content.Options);
        if (missed.Count == 0)
        {
            yield return Paragraph(_text.NoMissedHours);
            yield break;
        }

        var threshold = _content.Options.Kpi.DefaultQueue.SlThresholdSeconds;
        yield return Note(string.Format(_culture, _text.MissedHoursRanked, threshold));
        if (missed.Count > MaxMissedHours)
        {
            yield return Note(string.Format(_culture, _text.WorstOf, MaxMissedHours, missed.Count));
            missed = [.. missed.Take(MaxMissedHours)];
        }

        var target = _content.Options.ServiceLevelTarget;
        var columns = new TableColumn[]
        {
            new(_text.Interval, Daily ? 1.3f : 1.9f),
            new(_text.Offered, 1, TextAlignment.Right),
            new(string.Format(_culture, _text.NotInTime, threshold), 1.5f, TextAlignment.Right),
            new(_text.ServiceLevel, 1, TextAlignment.Right),
            new(_text.Shortfall, 1.1f, TextAlignment.Right),
            new(_text.AnsweredLate, 1, TextAlignment.Right),
            new(_text.AbandonedNotShort, 1.3f, TextAlignment.Right),
            new(_text.Asa, 1.1f, TextAlignment.Right),
        };
        var cells = missed.Select(hour => (IReadOnlyList<string>)
        [
            ReportSummary.HourLabel(hour.Row.IntervalStart!.Value, Daily, _text), ReportFormat.Count(hour.Row.Offered), ReportFormat.Count(hour.NotInTime),
            ReportFormat.Percent(hour.Row.ServiceLevel), ReportFormat.Points(new KpiComparison(hour.Row.ServiceLevel, target)) ?? ReportFormat.Missing,
            ReportFormat.Count(hour.Row.Answered - hour.Row.AnsweredWithinSl), ReportFormat.Count(hour.Row.Abandoned - hour.Row.ShortAbandoned),
            ReportFormat.Duration(hour.Row.AsaSeconds),
        ]).ToList();
        yield return new TableBlock(columns, cells, _table) { SpaceAfter = 14, CellColor = (_, column) => column is 2 or 3 or 4 ? Bad : null };
    }

    private IEnumerable<Block> Tables()
    {
        if (_data.Queues.Count > 0)
        {
            yield return Heading(_text.QueueOutcomesTable);
            yield return Note(_text.OutcomesIdentity);
            yield return QueueOutcomes();
            yield return Heading(_text.QueuesTable);
            yield return QueueService();
        }

        var inbound = _data.Agents.Where(agent => agent.Inbound).ToList();
        var outbound = _data.Agents.Where(agent => agent.Outbound).ToList();
        if (inbound.Count > 0)
        {
            yield return Heading(_text.AgentsInboundTable);
            yield return InboundAgents(inbound);
        }

        if (outbound.Count > 0)
        {
            yield return Heading(_text.AgentsOutboundTable);
            yield return OutboundAgents(outbound);
        }

        var targeted = _data.Agents.Where(agent => agent.CallTarget > 0).ToList();
        if (targeted.Count > 0)
        {
            yield return Heading(_text.CallTargetTable);
            var reached = targeted.Count(agent => agent.Row.CallTargetAttainment >= 1);
            yield return Note(string.Format(_culture, _text.CallTargetDefinition, reached, targeted.Count));
            yield return CallTargets(targeted);
        }

        if (_data.Adherence.Count > 0)
        {
            yield return Heading(_text.AdherenceTable);
            yield return AdherenceTable();
        }

        if (_data.Campaigns.Count > 0)
        {
            yield return Heading(_text.CampaignsTable);
            yield return CampaignTable();
            if (_data.Campaigns.Any(campaign => campaign.RepeatContacts > 0))
            {
                yield return Heading(_text.CallbacksTable);
                yield return Note(string.Format(_culture, _text.CallbacksDefinition, _content.Options.Kpi.RepeatContactDays));
                yield return CallbackTable();
            }
        }
    }

    /// <summary>Where every call offered ended; the columns after "offered" add up to it, row by row and in the total.</summary>
    private TableBlock QueueOutcomes()
    {
        var rows = _data.Queues.Append(_data.QueueTotal! with { QueueName = _text.TotalRow }).ToList();
        var columns = new TableColumn[]
        {
            new(_text.Queue, 1.6f),
            new(_text.Offered, 1, TextAlignment.Right),
            new(_text.Answered, 1, TextAlignment.Right),
            new(_text.Abandoned, 1, TextAlignment.Right),
            new(_text.ShortAbandoned, 1, TextAlignment.Right),
            new(_text.TimedOut, 1, TextAlignment.Right),
            new(_text.ExitedKey, 1, TextAlignment.Right),
            new(_text.ExitedEmpty, 1, TextAlignment.Right),
            new(_text.Withdrawn, 1, TextAlignment.Right),
        };
        var cells = rows.Select(row => (IReadOnlyList<string>)
        [
            row.QueueName, ReportFormat.Count(row.Offered), ReportFormat.Count(row.Answered), ReportFormat.Count(row.Abandoned - row.ShortAbandoned),
            ReportFormat.Count(row.ShortAbandoned), ReportFormat.Count(row.TimedOut), ReportFormat.Count(row.ExitedKey), ReportFormat.Count(row.ExitedEmpty),
            ReportFormat.Count(row.Withdrawn),
        ]).ToList();
        return new TableBlock(columns, cells, _table) { SpaceAfter = 14, IsTotal = row => row == rows.Count - 1 };
    }

    /// <summary>Each queue's service against its targets: its own service-level target (the directory's) before the report's.</summary>
    private TableBlock QueueService()
    {
        var rows = _data.Queues.Append(_data.QueueTotal! with { QueueName = _text.TotalRow }).ToList();
        var columns = new TableColumn[]
        {
            new(_text.Queue, 1.6f),
            new(_text.Offered, 1, TextAlignment.Right),
            new(_text.ServiceLevel, 1.1f, TextAlignment.Right),
            new(_text.RingRateLabel(_content.Options.Kpi.Rings), 1.2f, TextAlignment.Right),
            new(_text.Asa, 1.1f, TextAlignment.Right),
            new(_text.Aht, 1.1f, TextAlignment.Right),
            new(_text.AbandonRate, 1.1f, TextAlignment.Right),
            new(_text.MaxWait, 1.1f, TextAlignment.Right),
        };
        var cells = rows.Select(row => (IReadOnlyList<string>)
        [
            row.QueueName, ReportFormat.Count(row.Offered), ReportFormat.Percent(row.ServiceLevel), ReportFormat.Percent(row.RingRate),
            ReportFormat.Duration(row.AsaSeconds), ReportFormat.Duration(row.AhtSeconds), ReportFormat.Percent(row.AbandonRate), ReportFormat.Duration(row.MaxWaitSeconds),
        ]).ToList();
        var names = _data.Names;
        var options = _content.Options;
        var ring = KpiTarget.For("ring_rate", options.RingRateTarget);
        var abandon = KpiTarget.For("abandon_rate", options.AbandonRateTarget);
        var asa = KpiTarget.For("asa_seconds", options.AsaTargetSeconds);
        return new TableBlock(columns, cells, _table)
        {
            SpaceAfter = 14,
            IsTotal = row => row == rows.Count - 1,
            CellColor = (index, column) =>
            {
                var row = rows[index];
                var missed = column switch
                {
                    2 => KpiTarget.For("service_level", (index < _data.Queues.Count ? names.SlTarget(row.Queue) : null) ?? options.ServiceLevelTarget).Misses(row.ServiceLevel),
                    3 => ring.Misses(row.RingRate),
                    4 => asa?.Misses(row.AsaSeconds) == true,
                    6 => abandon?.Misses(row.AbandonRate) == true,
                    _ => false,
                };
                return missed ? Bad : null;
            },
        };
    }

    /// <summary>Queue work per agent, ranked by calls handled, grouped by team with a subtotal each, and a total.</summary>
    private TableBlock InboundAgents(List<AgentReportRow> agents)
    {
        var columns = new TableColumn[]
        {
            new(_text.Rank, 0.5f, TextAlignment.Right),
            new(_text.Agent, 2.2f),
            new(_text.Handled, 1, TextAlignment.Right),
            new(_text.Aht, 1, TextAlignment.Right),
            new(_text.Login, 1.1f, TextAlignment.Right),
            new(_text.Pause, 1.1f, TextAlignment.Right),
            new(_text.Occupancy, 1.1f, TextAlignment.Right),
        };
        return Ranked(agents, columns, agent => agent.Counters.Handled, (rank, label, row) =>
        [
            rank, label, ReportFormat.Count(row.Handled), ReportFormat.Duration(row.AhtSeconds),
            ReportFormat.Hours(row.LoginSeconds, _text.HoursUnit), ReportFormat.Hours(row.PauseSeconds, _text.HoursUnit), ReportFormat.Percent(row.Occupancy),
        ]);
    }

    /// <summary>Dialling per agent — attempts, connects, talk, conversions — ranked by conversions, grouped by team.</summary>
    private TableBlock OutboundAgents(List<AgentReportRow> agents)
    {
        var columns = new TableColumn[]
        {
            new(_text.Rank, 0.5f, TextAlignment.Right),
            new(_text.Agent, 2.2f),
            new(_text.Attempts, 1, TextAlignment.Right),
            new(_text.Connects, 1, TextAlignment.Right),
            new(_text.ConnectRate, 1, TextAlignment.Right),
            new(_text.Talk, 1.1f, TextAlignment.Right),
            new(_text.Conversions, 1, TextAlignment.Right),
            new(_text.ConversionRate, 1, TextAlignment.Right),
        };
        return Ranked(agents, columns, agent => agent.Counters.Conversions, (rank, label, row) =>
        [
            rank, label, ReportFormat.Count(row.OutboundAttempts), ReportFormat.Count(row.OutboundConnected),
            ReportFormat.Percent(row.OutboundAttempts == 0 ? null : (double)row.OutboundConnected / row.OutboundAttempts),
            ReportFormat.Hours(row.OutboundTalkSeconds, _text.HoursUnit), ReportFormat.Count(row.Conversions), ReportFormat.Percent(row.ConversionRate),
        ]);
    }

    /// <summary>One agent's (or a team's, or everyone's) figures for a ranked table.</summary>
    private readonly record struct AgentFigures(
        long Handled, double? AhtSeconds, double LoginSeconds, double PauseSeconds, double? Occupancy,
        long OutboundAttempts, long OutboundConnected, double OutboundTalkSeconds, long Conversions, double? ConversionRate)
    {
        public static AgentFigures Of(in AgentCounters c)
        {
            var row = AgentKpiRow.From(string.Empty, null, c, 0);
            return new(row.Handled, row.AhtSeconds, row.LoginSeconds, row.PauseSeconds, row.Occupancy,
                c.OutboundAttempts, c.OutboundConnected, c.OutboundTalkMs / 1000.0, c.Conversions, row.ConversionRate);
        }
    }

    /// <summary>
    /// Agents ranked across the centre by <paramref name="score"/> (then by name), listed team by
    /// team (the directory's teams, by name; agents without one last), each team closed by its
    /// subtotal, and all of them by a total. Subtotals come from summed counters, so their ratios
    /// are exact. Without any team there are no subtotals, only the total.
    /// </summary>
    private TableBlock Ranked(List<AgentReportRow> agents, TableColumn[] columns, Func<AgentReportRow, long> score, Func<string, string, AgentFigures, IReadOnlyList<string>> cells)
    {
        var ranked = agents.OrderByDescending(score).ThenBy(agent => agent.Row.AgentName, StringComparer.Ordinal).ToList();
        var rank = ranked.Select((agent, index) => (agent, index)).ToDictionary(pair => pair.agent, pair => pair.index + 1);
        var rows = new List<IReadOnlyList<string>>();
        var totals = new HashSet<int>();
        var teams = ranked.GroupBy(agent => agent.Team).OrderBy(team => team.Key is null).ThenBy(team => team.First().TeamName, StringComparer.Ordinal).ToList();
        // One group (everyone in one team, or no teams) would only repeat the total.
        var withTeams = teams.Count > 1;
        foreach (var team in teams)
        {
            foreach (var agent in team)
            {
                rows.Add(cells(rank[agent].ToString(CultureInfo.InvariantCulture), agent.Row.AgentName, AgentFigures.Of(agent.Counters)));
            }

            if (withTeams)
            {
                var subtotal = team.Key is null
                    ? string.Format(_culture, _text.NoTeam, team.Count())
                    : string.Format(_culture, _text.TeamSubtotal, team.First().TeamName, team.Count());
                totals.Add(rows.Count);
                rows.Add(cells(string.Empty, subtotal, AgentFigures.Of(Sum(team))));
            }
        }

        totals.Add(rows.Count);
        rows.Add(cells(string.Empty, string.Format(_culture, _text.AllAgents, ranked.Count), AgentFigures.Of(Sum(ranked))));
        return new TableBlock(columns, rows, _table) { SpaceAfter = 14, IsTotal = totals.Contains };

        static AgentCounters Sum(IEnumerable<AgentReportRow> rows)
        {
            var sum = default(AgentCounters);
            foreach (var row in rows)
            {
                sum.Add(row.Counters);
            }

            return sum;
        }
    }

    /// <summary>Per agent: calls against the target for the days logged in, best first; short of it in red.</summary>
    private TableBlock CallTargets(List<AgentReportRow> agents)
    {
        var ranked = agents
            .OrderByDescending(agent => agent.Row.CallTargetAttainment ?? double.MinValue)
            .ThenBy(agent => agent.Row.AgentName, StringComparer.Ordinal)
            .ToList();
        var columns = new TableColumn[]
        {
            new(_text.Rank, 0.5f, TextAlignment.Right),
            new(_text.Agent, 2f),
            new(_text.Team, 1.4f),
            new(_text.Days, 0.7f, TextAlignment.Right),
            new(_text.Calls, 0.9f, TextAlignment.Right),
            new(_text.Complaints, 0.9f, TextAlignment.Right),
            new(_text.TargetColumn, 0.9f, TextAlignment.Right),
            new(_text.Attainment, 1, TextAlignment.Right),
        };
        var cells = ranked.Select((agent, index) => (IReadOnlyList<string>)
        [
            (index + 1).ToString(CultureInfo.InvariantCulture), agent.Row.AgentName, agent.TeamName ?? string.Empty,
            agent.DaysLoggedIn.ToString(CultureInfo.InvariantCulture), ReportFormat.Count(agent.Calls), ReportFormat.Count(agent.Row.Complaints),
            ReportFormat.Count(agent.CallTarget), ReportFormat.Percent(agent.Row.CallTargetAttainment),
        ]).ToList();
        var target = KpiTarget.For("call_target_attainment", 1.0);
        return new TableBlock(columns, cells, _table)
        {
            SpaceAfter = 14,
            CellColor = (row, column) => column == 7 && target.Misses(ranked[row].Row.CallTargetAttainment) ? Bad : null,
        };
    }

    private TableBlock AdherenceTable()
    {
        var columns = new TableColumn[]
        {
            new(_text.Agent, 2.2f),
            new(_text.Scheduled, 1, TextAlignment.Right),
            new(_text.Adherence, 1, TextAlignment.Right),
            new(_text.Conformance, 1, TextAlignment.Right),
        };
        var cells = _data.Adherence.Select(row => (IReadOnlyList<string>)
        [
            _data.Names.AgentName(row.Agent), ReportFormat.Hours(row.ScheduledSeconds, _text.HoursUnit), ReportFormat.Percent(row.Adherence), ReportFormat.Percent(row.Conformance),
        ]).ToList();
        return new TableBlock(columns, cells, _table) { SpaceAfter = 14 };
    }

    private TableBlock CampaignTable()
    {
        var columns = new TableColumn[]
        {
            new(_text.Campaign, 2.2f),
            new(_text.Attempts, 1, TextAlignment.Right),
            new(_text.Connects, 1, TextAlignment.Right),
            new(_text.ConnectRate, 1, TextAlignment.Right),
            new(_text.Talk, 1.1f, TextAlignment.Right),
            new(_text.Contacts, 1, TextAlignment.Right),
            new(_text.Conversions, 1, TextAlignment.Right),
            new(_text.ConversionRate, 1, TextAlignment.Right),
        };
        var cells = _data.Campaigns.Select(row => (IReadOnlyList<string>)
        [
            row.CampaignName, ReportFormat.Count(row.Attempts), ReportFormat.Count(row.Connected), ReportFormat.Percent(row.ConnectRate),
            ReportFormat.Hours(row.TalkSeconds, _text.HoursUnit), ReportFormat.Count(row.Contacts), ReportFormat.Count(row.Conversions), ReportFormat.Percent(row.ConversionRate),
        ]).ToList();
        return new TableBlock(columns, cells, _table) { SpaceAfter = 14 };
    }

    /// <summary>Callbacks (回访): contacts with a customer reached before, and how many of them converted, beside the first contacts' rate.</summary>
    private TableBlock CallbackTable()
    {
        var rows = _data.Campaigns.Where(campaign => campaign.RepeatContacts > 0).ToList();
        var columns = new TableColumn[]
        {
            new(_text.Campaign, 2.2f),
            new(_text.Contacts, 1, TextAlignment.Right),
            new(_text.Callbacks, 1, TextAlignment.Right),
            new(_text.CallbackConversions, 1.2f, TextAlignment.Right),
            new(_text.CallbackConversionRate, 1.2f, TextAlignment.Right),
            new(_text.FirstContactConversionRate, 1.3f, TextAlignment.Right),
        };
        var cells = rows.Select(row => (IReadOnlyList<string>)
        [
            row.CampaignName, ReportFormat.Count(row.Contacts), ReportFormat.Count(row.RepeatContacts), ReportFormat.Count(row.RepeatConversions),
            ReportFormat.Percent(row.RepeatConversionRate),
            ReportFormat.Percent(row.Contacts - row.RepeatContacts is > 0 and var first ? (double)(row.Conversions - row.RepeatConversions) / first : null),
        ]).ToList();
        return new TableBlock(columns, cells, _table) { SpaceAfter = 14 };
    }
}
