using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Wallboard.Hub.Durability;
using Wallboard.Hub.History;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Live.Access;
using Wallboard.Hub.Live.Dashboards;
using Wallboard.Hub.Live.Ingest;
using Wallboard.Hub.Live.Screens;
using Wallboard.Hub.Names;
using Wallboard.Metrics.Rows;

namespace Wallboard.Hub.Live;

/// <summary>A queue's live figures: its display name and team, calls waiting, longest wait, agents staffed and needed, and every queue KPI per window.</summary>
internal sealed record LiveQueueResource(
    string Queue,
    string QueueName,
    string? Team,
    int CallsWaiting,
    double LongestWaitSeconds,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double?>> Windows,
    int AgentsStaffed,
    int AgentsAvailable,
    int? AgentsRequired,
    int? StaffingGap,
    LiveStaffingResource? Staffing);
/// <summary>How <see cref="LiveQueueResource.AgentsRequired"/> was reached (docs/staffing.md).</summary>
internal sealed record LiveStaffingResource(
    string Model,
    double ArrivalsPerHour,
    double? AhtSeconds,
    double? PatienceSeconds,
    double SlThresholdSeconds,
    double SlTarget,
    double? PredictedServiceLevel)
{
    public static LiveStaffingResource? From(Metrics.Staffing.LiveQueueStaffing? staffing) => staffing is null ? null : new(
        Metrics.Staffing.StaffingModels.Name(staffing.Model),
        Math.Round(staffing.ArrivalsPerHour, 3),
        staffing.AhtSeconds is { } aht ? Math.Round(aht, 3) : null,
        staffing.PatienceSeconds is { } patience ? Math.Round(patience, 3) : null,
        staffing.SlThresholdSeconds,
        staffing.SlTarget,
        staffing.PredictedServiceLevel is { } sl ? Math.Round(sl, 6) : null);
}

/// <summary>An agent's adherence to today's rota so far (docs/staffing.md).</summary>
internal sealed record LiveAdherenceResource(double ScheduledSeconds, double AdheringSeconds, double WorkedSeconds, double? Adherence, double? Conformance);

/// <summary>An agent's display name and team, live state, the campaign it last dialled, figures per window, and its adherence when it has a rota today.</summary>
internal sealed record LiveAgentResource(string Agent, string AgentName, string? Team, string Status, string Since, string? PauseReason, IReadOnlyList<string> Queues, string? Campaign, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double?>> Windows, LiveAdherenceResource? Adherence);

internal sealed record DashboardSummary(string Id, IReadOnlyDictionary<string, string> Name, string? Language);

internal sealed record DashboardList(IReadOnlyList<DashboardSummary> Dashboards, IReadOnlyList<DashboardError> Errors);

/// <summary>
/// What /healthz answers: <c>Status</c> is <c>ready</c>, or <c>unhealthy</c> (with 503) when
/// <c>Problems</c> lists anything; <c>Version</c> and <c>Commit</c> say which build runs.
/// </summary>
internal sealed record HealthReport(
    string Status,
    IReadOnlyList<string> Problems,
    string Version,
    string Commit,
    string Mode,
    long Ticks,
    long EventsApplied,
    double? SourceLagSeconds,
    int ChannelBacklog,
    long ChannelDropped,
    long Pushes,
    long PushesBehind,
    double LastTickMilliseconds,
    double MaxTickMilliseconds,
    long Alerts,
    long WebhookFailures,
    IReadOnlyList<TailStatus> Tails,
    int Dashboards,
    int DashboardErrors,
    HistoryHealth History,
    RejectedEvents Rejected,
    long Quarantined,
    CheckpointHealth Checkpoint)
{
    /// <summary>Problems of the directory file and queues.conf files, and alias conflicts (docs/directory.md).</summary>
    public IReadOnlyList<string> DirectoryErrors { get; init; } = [];

    /// <summary>The cluster as this hub sees it (docs/cluster.md); null on a single server.</summary>
    public Cluster.ClusterHealth? Cluster { get; init; }
}

/// <summary>
/// Events the core refused, by reason (never applied, never moving its clock): a time the calendar
/// cannot place, a name longer than <c>Metrics:MaxNameLength</c>, a new queue, agent or campaign
/// beyond <c>Metrics:MaxQueues</c>, <c>MaxAgents</c> or <c>MaxCampaigns</c>. Lines refused at the
/// source (bad time, too long) are counted with the source, by line.
/// </summary>
internal sealed record RejectedEvents(long OutOfCalendar, long NameTooLong, long TooManyQueues, long TooManyAgents, long TooManyCampaigns)
{
    public static RejectedEvents From(Metrics.Engine.EngineRejections rejected) =>
        new(rejected.OutOfCalendar, rejected.NameTooLong, rejected.TooManyQueues, rejected.TooManyAgents, rejected.TooManyCampaigns);
}

/// <summary>
/// The history store as /healthz shows it: which store, points waiting to be written, the InfluxDB
/// spool, and counter updates of events too late for the intervals the server still holds.
/// </summary>
internal sealed record HistoryHealth(string Store, int PendingPoints, long PointsWritten, long SpooledPoints, long SpoolBytes, long DroppedPoints, long LateUpdatesDropped);

internal sealed record BroadcastRequest(
    [property: Required, StringLength(500, MinimumLength = 1)] string Text,
    IReadOnlyList<string>? Dashboards,
    // Double bounds: with int bounds the check converts the value to an int first, and 1e308 threw (a 500).
    [property: Range(1.0, 7.0 * 24 * 60)] double ExpiresInMinutes,
    string? Severity);

/// <summary>The read-only live API, the dashboards list, health and supervisor broadcasts.</summary>
internal static class LiveEndpoints
{
    private static readonly string[] QueueKpiNames = [.. KpiCatalog.Kpis.Where(pair => pair.Value == KpiSource.QueueCounters).Select(pair => pair.Key).Order(StringComparer.Ordinal)];

    public static IEndpointRouteBuilder MapLiveApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", Health).RequireAuthorization(WallboardPolicies.Viewer);

        var viewer = routes.MapGroup("/api").RequireAuthorization(WallboardPolicies.Viewer);
        viewer.MapGet("/live/queues", Queues);
        viewer.MapGet("/live/agents", Agents);
        viewer.MapGet("/dashboards", (DashboardCatalog catalog) => TypedResults.Ok(new DashboardList(
            [.. catalog.Current.Values.OrderBy(board => board.Id, StringComparer.Ordinal).Select(board => new DashboardSummary(board.Id, board.Name, board.Language))],
            catalog.Errors)));

        var supervisor = routes.MapGroup("/api/broadcasts").RequireAuthorization(WallboardPolicies.Supervisor);
        supervisor.MapPost("/", Broadcast);
        supervisor.MapDelete("/{id}", (string id, BroadcastStore store) =>
            store.Remove(id) ? (Results<NoContent, NotFound>)TypedResults.NoContent() : TypedResults.NotFound());
        return routes;
    }

    private static JsonHttpResult<HealthReport> Health(
        HttpContext context,
        MetricsCore core, IngestChannel channel, FileSources files, LiveBroadcaster screens, AlertWebhook webhook,
        DashboardCatalog catalog, Microsoft.Extensions.Options.IOptions<SourcesOptions> sources, TimeProvider time,
        HistoryStatus history, HistoryTickWriter historyWriter, CheckpointService checkpoints, CoreTicker ticker, DirectoryService directory)
    {
        var watermark = core.WatermarkMs;
        var lag = core.EventsApplied == 0 ? (double?)null : Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - watermark) / 1000.0;
        var store = history.Snapshot();
        var cluster = context.RequestServices.GetService<Cluster.ClusterNode>()?.Health;
        string[] problems = [.. (store.Problem is { } problem ? ["history: " + problem] : Array.Empty<string>()), .. Cluster.ClusterProblems.Of(cluster)];
        return TypedResults.Json(
            new HealthReport(
            problems.Length == 0 ? "ready" : "unhealthy",
            problems,
            Operations.BuildInfo.Version,
            Operations.BuildInfo.Commit,
            cluster is not null ? "cluster" : sources.Value.DemoEnabled ? "demo" : "live",
            ticker.Ticks,
            core.EventsApplied,
            lag,
            channel.Backlog,
            channel.Dropped,
            screens.Pushes,
            screens.PushesBehind,
            screens.LastTickMilliseconds,
            screens.MaxTickMilliseconds,
            screens.Alerts,
            webhook.Failed,
            files.Status,
            catalog.Current.Count,
            catalog.Errors.Count,
            HistoryHealthOf(store, historyWriter, core),
            RejectedEvents.From(core.Rejected),
            core.Quarantined,
            checkpoints.Health)
            {
                DirectoryErrors = directory.Errors,
                Cluster = cluster,
            },
            statusCode: problems.Length == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static HistoryHealth HistoryHealthOf(HistoryStatusSnapshot store, HistoryTickWriter writer, MetricsCore core) =>
        new(store.Store, writer.Pending, writer.PointsWritten, store.BacklogPoints, store.BacklogBytes, store.DroppedPoints, core.HistoryLateUpdatesDropped);

    /// <summary>Entities per page of the live API unless <c>limit</c> asks otherwise.</summary>
    private const int DefaultPage = 1_000;

    private const int MaxPage = 10_000;

    private static Results<Ok<List<LiveQueueResource>>, ProblemHttpResult> Queues(HttpContext context, ILiveFigures figures)
    {
        if (!Paging.TryRead(context.Request, DefaultPage, MaxPage, out var paging, out var problem))
        {
            return problem!;
        }

        var snapshot = figures.Latest;
        return TypedResults.Ok(paging.Apply(context, snapshot.Queues).Select(queue => new LiveQueueResource(
            queue.Queue,
            queue.Name,
            queue.Team,
            queue.Waiting,
            queue.LongestWaitSeconds ?? 0,
            KpiCatalog.Windows.ToDictionary(
                window => window.Key,
                window => (IReadOnlyDictionary<string, double?>)QueueValues(QueueKpiRow.From(queue.Queue, null, queue.Windows[window.Value], queue.Formula, queue.Name)),
                StringComparer.Ordinal),
            queue.AgentsStaffed,
            queue.AgentsAvailable,
            queue.Staffing?.AgentsRequired,
            queue.StaffingGap,
            LiveStaffingResource.From(queue.Staffing))).ToList());
    }

    private static Results<Ok<List<LiveAgentResource>>, ProblemHttpResult> Agents(HttpContext context, ILiveFigures figures)
    {
        if (!Paging.TryRead(context.Request, DefaultPage, MaxPage, out var paging, out var problem))
        {
            return problem!;
        }

        var snapshot = figures.Latest;
        return TypedResults.Ok(paging.Apply(context, snapshot.Agents).Select(agent => new LiveAgentResource(
            agent.Agent,
            agent.Name,
            agent.Team,
            ScreenCalculator.StatusName(agent.Status),
            ScreenCalculator.Iso(snapshot.AtMs - (long)Math.Round(agent.SecondsInStatus * 1000)),
            agent.Status == Metrics.Engine.AgentStatus.Paused ? agent.PauseReason : null,
            agent.Queues,
            agent.Campaign,
            KpiCatalog.Windows.ToDictionary(
                window => window.Key,
                window => (IReadOnlyDictionary<string, double?>)AgentValues(AgentKpiRow.From(agent.Agent, null, agent.Windows[window.Value], 0)),
                StringComparer.Ordinal),
            agent.Adherence is { } a ? new LiveAdherenceResource(a.ScheduledSeconds, a.AdheringSeconds, a.WorkedSeconds, a.Adherence, a.Conformance) : null)).ToList());
    }

    private static Dictionary<string, double?> AgentValues(AgentKpiRow row) => new(StringComparer.Ordinal)
    {
        ["answered"] = row.Answered,
        ["ring_no_answer"] = row.RingNoAnswer,
        ["handled"] = row.Handled,
        ["talk_seconds"] = row.TalkSeconds,
        ["aht_seconds"] = row.AhtSeconds,
        ["login_seconds"] = row.LoginSeconds,
        ["pause_seconds"] = row.PauseSeconds,
        ["hold_seconds"] = row.HoldSeconds,
        ["wrap_up_seconds"] = row.WrapUpSeconds,
        ["occupancy"] = row.Occupancy,
        ["outbound_attempts"] = row.OutboundAttempts,
        ["outbound_connected"] = row.OutboundConnected,
        ["contacts"] = row.Contacts,
        ["conversions"] = row.Conversions,
        ["conversion_rate"] = row.ConversionRate,
        ["complaints"] = row.Complaints,
    };

    private static Dictionary<string, double?> QueueValues(QueueKpiRow row) =>
        QueueKpiNames.ToDictionary(name => name, name => KpiValues.Queue(name, row), StringComparer.Ordinal);

    private static Results<Created<BroadcastMessage>, ValidationProblem> Broadcast(BroadcastRequest request, BroadcastStore store, DashboardCatalog catalog)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var validation = new List<ValidationResult>();
        if (!Validator.TryValidateObject(request, new ValidationContext(request), validation, validateAllProperties: true))
        {
            foreach (var result in validation)
            {
                errors[result.MemberNames.FirstOrDefault() ?? "body"] = [result.ErrorMessage ?? "invalid"];
            }
        }

        var severity = request.Severity ?? "info";
        if (severity is not "info" and not "warning")
        {
            errors["severity"] = ["must be 'info' or 'warning'"];
        }

        var unknown = (request.Dashboards ?? []).Where(id => !catalog.TryGet(id, out _)).ToList();
        if (unknown.Count > 0)
        {
            errors["dashboards"] = [$"no such dashboard: {string.Join(", ", unknown)}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var broadcast = store.Add(request.Text, request.Dashboards ?? [], TimeSpan.FromMinutes(request.ExpiresInMinutes), severity);
        return TypedResults.Created($"/api/broadcasts/{broadcast.Id}", broadcast.ToMessage());
    }
}
