using Wallboard.Hub.Live.Dashboards;

namespace Wallboard.Hub.Staffing;

/// <summary>
/// Keeps the forecast the screens' "next hours" strip shows: the rest of today and tomorrow, per
/// step length the dashboards ask for, worked out again every five minutes from history (a store
/// query is too slow for the one-second cadence, and a forecast moves slowly).
/// </summary>
internal sealed partial class ForecastStrip(
    ForecastService forecasts,
    DashboardCatalog dashboards,
    TimeProvider time,
    ILogger<ForecastStrip> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(5);

    private volatile IReadOnlyDictionary<int, IReadOnlyList<ForecastRow>> _latest = new Dictionary<int, IReadOnlyList<ForecastRow>>();

    /// <summary>Forecast rows by step minutes; empty before the first refresh.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<ForecastRow>> Latest => _latest;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            await RefreshAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One refresh; public to tests.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var steps = dashboards.Current.Values.Select(board => board.NextHours?.StepMinutes).OfType<int>().Distinct().ToList();
        var latest = new Dictionary<int, IReadOnlyList<ForecastRow>>();
        try
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var today = forecasts.Today;
            foreach (var step in steps)
            {
                var rows = await forecasts.ForecastAsync(null, today, step, now, cancellationToken).ConfigureAwait(false);
                rows.AddRange(await forecasts.ForecastAsync(null, today.PlusDays(1), step, null, cancellationToken).ConfigureAwait(false));
                latest[step] = rows;
            }

            _latest = latest;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store that is down keeps the last strip; the next refresh tries again.
            Log.RefreshFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1410, Level = LogLevel.Warning, Message = "The next-hours forecast could not be refreshed")]
        public static partial void RefreshFailed(ILogger logger, Exception exception);
    }
}
