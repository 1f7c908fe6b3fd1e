namespace Wallboard.Reports;

/// <summary>
/// Every string a report prints, one instance per language (<see cref="English"/>,
/// <see cref="SimplifiedChinese"/>). A record rather than a dictionary so that a string missing
/// from one language is a compile error, not a blank in a manager's PDF.
/// </summary>
internal sealed partial record ReportText
{
    public required string Language { get; init; }

    /// <summary>The culture numbers and dates are written in.</summary>
    public required string CultureName { get; init; }

    public required string DailyTitle { get; init; }
    public required string WeeklyTitle { get; init; }
    public required string MonthlyTitle { get; init; }

    /// <summary>Week label, {0} ISO year, {1} ISO week number.</summary>
    public required string WeekLabel { get; init; }

    /// <summary>Month label, {0} the first day of the month.</summary>
    public required string MonthFormat { get; init; }

    /// <summary>A local day in full ("Fri 27 Nov 2026").</summary>
    public required string DayFormat { get; init; }

    /// <summary>A local day on a chart axis ("27 Nov").</summary>
    public required string ShortDayFormat { get; init; }

    public required string AllQueues { get; init; }
    public required string QueuesLabel { get; init; }
    public required string TimeZoneLabel { get; init; }
    public required string PeriodLabel { get; init; }
    public required string ComparedWith { get; init; }
    public required string Produced { get; init; }

    /// <summary>"page {0} of {1}".</summary>
    public required string PageOf { get; init; }

    public required string IncompleteWarning { get; init; }
    public required string NoHistoryWritten { get; init; }

    /// <summary>{0} the time history is written up to.</summary>
    public required string WrittenUpTo { get; init; }

    public required string Offered { get; init; }
    public required string Answered { get; init; }
    public required string Abandoned { get; init; }

    /// <summary>Callers the system took out of the queue (e.g. for a callback).</summary>
    public required string Withdrawn { get; init; }
    public required string ServiceLevel { get; init; }

    /// <summary>"Answered within {0} rings".</summary>
    public required string RingRate { get; init; }

    /// <summary>How the numbers 1, 2, 3 … of <see cref="RingRate"/> are written, separated by spaces (三声, not 3声); a larger number is written in digits.</summary>
    public required string RingNumerals { get; init; }

    public required string Asa { get; init; }
    public required string Aht { get; init; }
    public required string AbandonRate { get; init; }
    public required string ConversionRate { get; init; }
    public required string Target { get; init; }

    /// <summary>"{0} vs previous".</summary>
    public required string VersusPrevious { get; init; }

    public required string NoPrevious { get; init; }
    public required string Points { get; init; }

    public required string Charts { get; init; }
    public required string VolumeByHour { get; init; }
    public required string VolumeByDay { get; init; }
    public required string ServiceLevelByHour { get; init; }
    public required string ServiceLevelByDay { get; init; }
    public required string AhtByHour { get; init; }
    public required string AhtByDay { get; init; }
    public required string Hour { get; init; }
    public required string Day { get; init; }
    public required string Seconds { get; init; }

    public required string QueuesTable { get; init; }
    public required string Queue { get; init; }
    public required string Agent { get; init; }
    public required string Handled { get; init; }
    public required string Login { get; init; }
    public required string Pause { get; init; }
    public required string Occupancy { get; init; }
    public required string Conversions { get; init; }
    public required string CampaignsTable { get; init; }
    public required string Campaign { get; init; }
    public required string Attempts { get; init; }
    public required string ConnectRate { get; init; }
    public required string MissedHoursTable { get; init; }

    public required string ForecastVsActual { get; init; }

    public required string Forecast { get; init; }

    public required string Actual { get; init; }

    public required string AdherenceTable { get; init; }

    public required string Scheduled { get; init; }

    public required string Adherence { get; init; }

    public required string Conformance { get; init; }

    public required string AdherenceDefinition { get; init; }
    public required string NoMissedHours { get; init; }

    /// <summary>"the {0} worst of {1} hours".</summary>
    public required string WorstOf { get; init; }

    public required string Interval { get; init; }
    public required string Shortfall { get; init; }

    /// <summary>The email's table heads: the KPI, this period, the period before.</summary>
    public required string EmailKpi { get; init; }
    public required string EmailThisPeriod { get; init; }
    public required string EmailPrevious { get; init; }
    public required string EmailAttached { get; init; }

    public required string Definitions { get; init; }

    /// <summary>{0} formula, {1} threshold seconds, {2} short-abandon seconds.</summary>
    public required string ServiceLevelDefinition { get; init; }

    /// <summary>{0} rings, {1} seconds per ring, {2} the ring rate's name (<see cref="RingRateLabel"/>).</summary>
    public required string RingDefinition { get; init; }

    public required string OtherDefinitions { get; init; }
    public required string FormulaOffered { get; init; }
    public required string FormulaAnswered { get; init; }
    public required string FormulaAbandonsIgnored { get; init; }
    public required string FormulaAbandonsPositive { get; init; }

    /// <summary>"{0}: {1} s, {2}" for a queue with its own threshold and formula.</summary>
    public required string QueueOverride { get; init; }

    /// <summary>{0} the period before, {1} the same weekday a week before.</summary>
    public required string ComparedWithBoth { get; init; }

    /// <summary>{0} the period compared with, {1} and {2} the first and last local times with calls.</summary>
    public required string PartialComparisonWarning { get; init; }

    /// <summary>{0} the period, {1} the time zone.</summary>
    public required string NoDataForPeriod { get; init; }

    /// <summary>{0} the change, {1} the weekday ("Wed", "周三").</summary>
    public required string VersusWeekAgo { get; init; }

    /// <summary>{0} the weekday.</summary>
    public required string NoWeekAgo { get; init; }
    public required string TargetOn { get; init; }
    public required string TargetAboveBetter { get; init; }
    public required string TargetBelowBetter { get; init; }
    public required string TargetAboveWorse { get; init; }
    public required string TargetBelowWorse { get; init; }

    /// <summary>A heat map's legend for cells at or beyond the target.</summary>
    public required string TargetMetShort { get; init; }

    /// <summary>{0} the period, {1} the parts joined.</summary>
    public required string SummarySentence { get; init; }
    public required string SummaryJoin { get; init; }

    /// <summary>{0} offered, {1} the change in parentheses or nothing, {2} answered.</summary>
    public required string SummaryVolume { get; init; }
    public required string Parenthesis { get; init; }

    /// <summary>{0} value, {1} target, {2} standing.</summary>
    public required string SummaryServiceLevel { get; init; }

    /// <summary>{0} value, {1} target, {2} standing.</summary>
    public required string SummaryAbandonRate { get; init; }
    public required string SummaryAbandonRateAlone { get; init; }

    /// <summary>{0} hours missed, {1} hours with calls, {2} the costliest hour, {3} its calls offered, {4} those not answered in time, {5} the threshold in seconds.</summary>
    public required string SummaryMissedHours { get; init; }
    public required string SummaryNoMissedHours { get; init; }
    public required string SummaryNoCalls { get; init; }

    /// <summary>A day on a week's chart axis.</summary>
    public required string WeekAxisFormat { get; init; }

    /// <summary>A day on a month's chart axis ("%d": the day alone, not the short date pattern).</summary>
    public required string MonthAxisFormat { get; init; }
    public required string WaitDistributionTable { get; init; }
    public required string WaitDistributionChart { get; init; }
    public required string Wait { get; init; }
    public required string Share { get; init; }
    public required string Cumulative { get; init; }
    public required string AbandonedNotShort { get; init; }
    public required string TotalRow { get; init; }

    /// <summary>{0} calls in the distribution, {1} calls of the period.</summary>
    public required string WaitCoverage { get; init; }
    public required string SecondsUnit { get; init; }
    public required string MinutesUnit { get; init; }

    /// <summary>After hours over a day ("63.8 h").</summary>
    public required string HoursUnit { get; init; }
    public required string HeatMapCalls { get; init; }
    public required string HeatMapServiceLevel { get; init; }

    /// <summary>{0} the threshold in seconds.</summary>
    public required string MissedHoursRanked { get; init; }

    /// <summary>{0} the threshold in seconds.</summary>
    public required string NotInTime { get; init; }
    public required string AnsweredLate { get; init; }
    public required string QueueOutcomesTable { get; init; }
    public required string OutcomesIdentity { get; init; }
    public required string ShortAbandoned { get; init; }
    public required string TimedOut { get; init; }
    public required string ExitedKey { get; init; }
    public required string ExitedEmpty { get; init; }
    public required string MaxWait { get; init; }
    public required string AgentsInboundTable { get; init; }
    public required string AgentsOutboundTable { get; init; }
    public required string Rank { get; init; }
    public required string Connects { get; init; }
    public required string Talk { get; init; }

    /// <summary>{0} the team, {1} its agents.</summary>
    public required string TeamSubtotal { get; init; }

    /// <summary>The subtotal of the agents in no team, {0} the agents.</summary>
    public required string NoTeam { get; init; }

    /// <summary>{0} the agents.</summary>
    public required string AllAgents { get; init; }
    public required string CallTargetTable { get; init; }

    /// <summary>{0} agents at or above their target, {1} agents with a target.</summary>
    public required string CallTargetDefinition { get; init; }
    public required string Team { get; init; }
    public required string Days { get; init; }
    public required string Calls { get; init; }
    public required string Complaints { get; init; }
    public required string TargetColumn { get; init; }
    public required string Attainment { get; init; }
    public required string Contacts { get; init; }
    public required string CallbacksTable { get; init; }

    /// <summary>{0} the repeat-contact window in days.</summary>
    public required string CallbacksDefinition { get; init; }
    public required string Callbacks { get; init; }
    public required string CallbackConversions { get; init; }
    public required string CallbackConversionRate { get; init; }
    public required string FirstContactConversionRate { get; init; }
    public required string EmailTarget { get; init; }
    public required string EmailWeekAgo { get; init; }

    /// <summary>The table for a language tag; en and zh-CN (zh, zh-Hans too).</summary>
    /// <exception cref="ArgumentException">The language is not supported.</exception>
    public static ReportText For(string language) => language switch
    {
        "en" or "en-GB" or "en-US" => English,
        "zh-CN" or "zh" or "zh-Hans" or "zh-Hans-CN" => SimplifiedChinese,
        _ => throw new ArgumentException($"language '{language}' is not supported; use en or zh-CN", nameof(language)),
    };

    /// <summary>Where a value stands against its target, in words: "above target (worse)", "高于目标（未达标）".</summary>
    public string Standing(Metrics.Targets.TargetStanding standing) => standing switch
    {
        Metrics.Targets.TargetStanding.AboveBetter => TargetAboveBetter,
        Metrics.Targets.TargetStanding.BelowBetter => TargetBelowBetter,
        Metrics.Targets.TargetStanding.AboveWorse => TargetAboveWorse,
        Metrics.Targets.TargetStanding.BelowWorse => TargetBelowWorse,
        _ => TargetOn,
    };

    /// <summary>"Answered within 3 rings"; in Chinese the glossary's 三声接起率, the number written as <see cref="RingNumerals"/> says.</summary>
    public string RingRateLabel(int rings)
    {
        var numerals = RingNumerals.Split(' ');
        var number = rings >= 1 && rings <= numerals.Length ? numerals[rings - 1] : rings.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, RingRate, number);
    }

    public string Formula(Metrics.ServiceLevelFormula formula) => formula switch
    {
        Metrics.ServiceLevelFormula.Answered => FormulaAnswered,
        Metrics.ServiceLevelFormula.AbandonsIgnored => FormulaAbandonsIgnored,
        Metrics.ServiceLevelFormula.AbandonsPositive => FormulaAbandonsPositive,
        _ => FormulaOffered,
    };
}
