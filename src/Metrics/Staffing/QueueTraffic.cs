namespace Wallboard.Metrics.Staffing;

/// <summary>The traffic offered to a queue and the threshold its service level is measured at.</summary>
/// <param name="ArrivalsPerHour">Calls arriving per hour (λ), short abandons excluded.</param>
/// <param name="AhtSeconds">Average handling time: talk, hold and wrap-up (1/μ).</param>
/// <param name="PatienceSeconds">Mean time a caller waits before giving up (1/θ); null for callers who never give up.</param>
/// <param name="SlThresholdSeconds">Answered within this many seconds counts as within service level.</param>
public readonly record struct QueueTraffic(double ArrivalsPerHour, double AhtSeconds, double? PatienceSeconds, double SlThresholdSeconds)
{
    /// <summary>
    /// Patience beyond a day is no patience at all (use Erlang C); the bound also keeps the Erlang A
    /// chain short: its length grows with arrivals × patience when the queue is overloaded.
    /// </summary>
    public const double MaxPatienceSeconds = 86_400;

    /// <summary>The offered load in Erlangs, λ × AHT.</summary>
    public double Erlangs => ArrivalsPerHour / 3600 * AhtSeconds;

    /// <summary>The first thing wrong with these figures for <paramref name="model"/>, or null; the message names the value.</summary>
    public string? Problem(StaffingModel model)
    {
        if (!(ArrivalsPerHour >= 0) || double.IsInfinity(ArrivalsPerHour))
        {
            return $"arrivals must be 0 or more calls per hour, got {ArrivalsPerHour}";
        }

        if (!(AhtSeconds > 0) || double.IsInfinity(AhtSeconds))
        {
            return $"aht must be more than 0 seconds, got {AhtSeconds}";
        }

        if (!(SlThresholdSeconds >= 0) || double.IsInfinity(SlThresholdSeconds))
        {
            return $"sl-threshold must be 0 or more seconds, got {SlThresholdSeconds}";
        }

        if (model == StaffingModel.ErlangA)
        {
            if (PatienceSeconds is not { } patience)
            {
                return "erlang-a needs the callers' mean patience (seconds)";
            }

            if (!(patience > 0) || patience > MaxPatienceSeconds)
            {
                return $"patience must be more than 0 and at most {MaxPatienceSeconds} seconds (a day; beyond that use erlang-c), got {patience}";
            }
        }

        return null;
    }
}
