namespace Wallboard.Metrics.Staffing;

/// <summary>
/// Erlang A (M/M/N+M, the Palm queue): Poisson arrivals λ, exponential handling times (rate μ),
/// N agents and callers who give up after an exponential patience (rate θ). Exact: the stationary
/// distribution of the birth-death chain of the number of calls in the system, and the waiting
/// time of a tagged arrival in it; no heavy-traffic approximation.
/// </summary>
/// <remarks>
/// <para>
/// The chain: state n calls, births λ, deaths μ·min(n, N) + θ·max(n − N, 0). Below N the
/// stationary weights are those of Erlang B, so P(n ≥ N) = B·S / (1 − B + B·S) with
/// S = Σ_k t_k, t_0 = 1, t_k = t_{k−1} · λ / (Nμ + kθ): the weight of k calls in the queue
/// relative to N in the system.
/// </para>
/// <para>
/// A tagged arrival that finds k calls queued (arrivals see time averages) reaches an agent after
/// k + 1 departures from ahead of it, at rates Nμ + jθ for j = k … 0: its offered wait V_k has the
/// distribution of the (k+1)-th smallest of c + k exponential(θ) times, c = Nμ/θ, so
/// 1 − e^{−θV_k} is Beta(k+1, c). It is answered within T when V_k ≤ T and its own patience
/// outlasts V_k, which happens with probability E[e^{−θV_k}; V_k ≤ T] = c/(c+k+1) · I_x(k+1, c+1),
/// x = 1 − e^{−θT}, I the regularised incomplete beta function. It abandons with probability
/// (k+1)/(c+k+1), and its expected wait when answered is c/(c+k+1) · Σ_{j=0..k} 1/(c+1+j) / θ.
/// I_x(k+1, c+1) is stepped over k by I_x(a+1, b) = I_x(a, b) − x^a (1−x)^b Γ(a+b)/(Γ(a+1)Γ(b)).
/// </para>
/// <para>
/// Numbers: the queue weights t_k are kept relative to their largest (k* = ⌊(λ − Nμ)/θ⌋), and both
/// they and the beta terms as a mantissa times a power of e that is renormalised when it grows,
/// so neither overflows nor loses its start to underflow (e^{−(Nμ+θ)T} is below the smallest
/// double for thousands of agents). The sums stop when the tail is below 10⁻¹⁷ of what is summed.
/// </para>
/// </remarks>
internal static class ErlangA
{
    private const double Rescale = 1e150;
    private const double Negligible = 1e-17;

    public static StaffingFigures Evaluate(in QueueTraffic traffic, int agents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, 1);
        var lambda = traffic.ArrivalsPerHour / 3600;
        if (lambda <= 0)
        {
            return StaffingFigures.Idle(agents);
        }

        var mu = 1 / traffic.AhtSeconds;
        var theta = 1 / traffic.PatienceSeconds!.Value;
        var a = lambda / mu;
        var erlangB = ErlangC.ErlangB(agents, a);
        var nMu = agents * mu;
        var c = nMu / theta;
        var b = c + 1;
        var t = traffic.SlThresholdSeconds;

        // The largest queue weight and its logarithm.
        var mode = lambda > nMu ? (long)Math.Floor((lambda - nMu) / theta) : 0;
        var lnModeWeight = 0.0;
        for (var j = 1; j <= mode; j++)
        {
            lnModeWeight += Math.Log(lambda / (nMu + (j * theta)));
        }

        // Queue weight relative to the mode: mantissa × e^scale.
        var weight = 1.0;
        var weightScale = -lnModeWeight;
        var weightFactor = Math.Exp(weightScale);

        // The beta step x^a (1−x)^b Γ(a+b)/(Γ(a+1)Γ(b)) for a = k + 1, and I_x(k+1, c+1).
        var x = -double.ExpM1(-theta * t);
        var incomplete = -double.ExpM1(-(nMu + theta) * t);
        var step = 1.0;
        var stepScale = x > 0 ? Math.Log(x) - ((nMu + theta) * t) + Math.Log(b) : double.NegativeInfinity;
        var stepFactor = Math.Exp(stepScale);

        double total = 0, withinSl = 0, abandoned = 0, answeredWait = 0, harmonic = 0;
        for (long k = 0; ; k++)
        {
            var w = weight * weightFactor;
            var answered = c / (c + k + 1);
            harmonic += 1 / (b + k);
            total += w;
            withinSl += w * answered * incomplete;
            abandoned += w * (k + 1) / (c + k + 1);
            answeredWait += w * answered * harmonic;

            if (incomplete > 0)
            {
                incomplete = Math.Max(0, incomplete - (step * stepFactor));
                step *= x * (k + 1 + b) / (k + 2);
                if (step > Rescale)
                {
                    stepScale += Math.Log(step);
                    stepFactor = Math.Exp(stepScale);
                    step = 1;
                }
            }

            var ratio = lambda / (nMu + ((k + 1) * theta));
            weight *= ratio;
            if (weight > Rescale)
            {
                weightScale += Math.Log(weight);
                weightFactor = Math.Exp(weightScale);
                weight = 1;
            }

            // Past the mode the weights fall faster than a geometric series of the current ratio.
            if (k >= mode && ratio < 1 && weight * weightFactor / (1 - ratio) < Negligible * total)
            {
                break;
            }
        }

        // P(wait) = B·S / (1 − B + B·S), S = total × (largest weight).
        var lnBs = Math.Log(erlangB) + lnModeWeight + Math.Log(total);
        var wait = 1 / (1 + ((1 - erlangB) * Math.Exp(-lnBs)));
        var abandonRate = wait * abandoned / total;
        var answeredShare = 1 - abandonRate;
        return new StaffingFigures(
            agents,
            Math.Clamp(1 - wait + (wait * withinSl / total), 0, 1),
            wait,
            abandonRate,
            Math.Min(1, lambda * answeredShare / nMu),
            answeredShare > 0 ? wait * answeredWait / total / theta / answeredShare : null);
    }

    /// <summary>
    /// The fewest agents whose service level reaches <paramref name="target"/> and whose occupancy
    /// stays within <paramref name="maxOccupancy"/>: both improve with every agent added, so the
    /// search gallops from Erlang C's answer (Erlang A's is near it) and halves the bracket.
    /// </summary>
    public static StaffingFigures AgentsRequired(in QueueTraffic traffic, double target, double maxOccupancy, int maxAgents)
    {
        if (traffic.ArrivalsPerHour <= 0)
        {
            return StaffingFigures.Idle(0);
        }

        var erlangC = ErlangC.AgentsRequired(traffic with { PatienceSeconds = null }, target, maxOccupancy, maxAgents).Agents;
        var start = Evaluate(traffic, erlangC);
        int good, bad;
        StaffingFigures best;
        if (Meets(start, target, maxOccupancy))
        {
            good = erlangC;
            best = start;
            bad = 0;
            for (var down = 1; ; down *= 2)
            {
                var n = erlangC - down;
                if (n < 1)
                {
                    break;
                }

                var figures = Evaluate(traffic, n);
                if (!Meets(figures, target, maxOccupancy))
                {
                    bad = n;
                    break;
                }

                good = n;
                best = figures;
            }
        }
        else
        {
            // Erlang C met the target, so patience made it worse (callers who give up within T).
            bad = erlangC;
            best = start;
            good = -1;
            for (var up = 1; ; up *= 2)
            {
                var n = (int)Math.Min((long)erlangC + up, maxAgents + 1L);
                if (n > maxAgents)
                {
                    throw new StaffingOutOfRangeException(maxAgents);
                }

                var figures = Evaluate(traffic, n);
                if (Meets(figures, target, maxOccupancy))
                {
                    good = n;
                    best = figures;
                    break;
                }

                bad = n;
            }
        }

        while (good - bad > 1)
        {
            var middle = bad + ((good - bad) / 2);
            var figures = Evaluate(traffic, middle);
            if (Meets(figures, target, maxOccupancy))
            {
                good = middle;
                best = figures;
            }
            else
            {
                bad = middle;
            }
        }

        return best;
    }

    private static bool Meets(in StaffingFigures figures, double target, double maxOccupancy) =>
        figures.ServiceLevel >= target && figures.Occupancy <= maxOccupancy;
}
