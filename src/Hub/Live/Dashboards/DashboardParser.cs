using System.Globalization;
using System.Text.Json;

namespace Wallboard.Hub.Live.Dashboards;

/// <summary>What is wrong in a dashboard file, with the JSON path of the offending value.</summary>
internal sealed record DashboardError(string File, string Path, string Message)
{
    public override string ToString() => $"{File}: {Path}: {Message}";
}

/// <summary>
/// Reads and validates one dashboard file. Every problem is reported (not only the first), each
/// with its JSON path, so that whoever edits a layout sees all the mistakes at once.
/// </summary>
internal sealed class DashboardParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly string _file;
    private readonly List<DashboardError> _errors = [];

    private DashboardParser(string file) => _file = file;

    /// <summary>Parses <paramref name="json"/>; returns the dashboard, or null with the errors.</summary>
    /// <param name="file">The name reported with errors, e.g. <c>dashboards/inbound-floor.json</c>.</param>
    /// <param name="json">The file's text.</param>
    /// <param name="errors">Every problem found; empty when the dashboard is returned.</param>
    public static Dashboard? Parse(string file, string json, out IReadOnlyList<DashboardError> errors)
    {
        var parser = new DashboardParser(file);
        Dashboard? dashboard = null;
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            dashboard = parser.Board(document.RootElement);
        }
        catch (JsonException ex)
        {
            parser.Error(ex.Path is { Length: > 0 } path ? path : "$", string.Create(CultureInfo.InvariantCulture, $"not valid JSON (line {(ex.LineNumber ?? 0) + 1}): {ex.Message}"));
        }

        errors = parser._errors;
        return parser._errors.Count == 0 ? dashboard : null;
    }

    private Dashboard? Board(JsonElement root)
    {
        if (!Object(root, "$"))
        {
            return null;
        }

        Known(root, "$", "id", "name", "language", "queues", "groups", "campaigns", "tiles", "queueTable", "agentBoard", "nextHours", "waitingList", "rotation");
        var id = RequiredString(root, "$", "id");
        if (id is not null && !IsId(id))
        {
            Error("$.id", $"'{id}' must be lower-case letters, digits, '-' or '_'");
        }

        var name = Texts(root, "$", "name", required: true);
        var language = OptionalString(root, "$", "language");
        if (Property(root, "rotation") is not null)
        {
            var rotation = RotationOf(root, id);
            return id is null || name is null || rotation is null
                ? null
                : new Dashboard(id, name, language, [], new Dictionary<string, IReadOnlyList<string>>(), [], [], null, null) { Rotation = rotation };
        }

        var queues = Strings(root, "$", "queues") ?? [];
        var campaigns = Strings(root, "$", "campaigns") ?? [];
        var groups = Groups(root, queues);
        var tiles = new List<Tile>();
        var tileIds = new HashSet<string>(StringComparer.Ordinal);
        if (Property(root, "tiles") is { } tilesElement && Array(tilesElement, "$.tiles"))
        {
            var index = 0;
            foreach (var element in tilesElement.EnumerateArray())
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"$.tiles[{index++}]");
                if (TileOf(element, path, queues, groups, campaigns) is { } tile)
                {
                    if (!tileIds.Add(tile.Id))
                    {
                        Error(path + ".id", $"'{tile.Id}' is used by another tile");
                    }

                    tiles.Add(tile);
                }
            }
        }

        var queueTable = QueueTableOf(root, tiles);
        var agentBoard = AgentBoardOf(root);
        var nextHours = NextHoursOf(root);
        var waitingList = WaitingListOf(root, queueTable, tiles);
        return id is null || name is null
            ? null
            : new Dashboard(id, name, language, queues, groups, campaigns, tiles, queueTable, agentBoard, nextHours) { WaitingList = waitingList };
    }

    /// <summary>
    /// The bands of a KPI where the layout names none itself: the board's first tile of that KPI
    /// with bands, else the product's default for the KPI, else none.
    /// </summary>
    private static Thresholds? InheritedBands(string kpi, IReadOnlyList<Tile> tiles) =>
        tiles.FirstOrDefault(tile => tile.Kpi == kpi && tile.Thresholds is not null)?.Thresholds
        ?? KpiCatalog.DefaultThresholds.GetValueOrDefault(kpi);

    private Dictionary<string, IReadOnlyList<string>> Groups(JsonElement root, IReadOnlyList<string> queues)
    {
        var groups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (Property(root, "groups") is not { } element || !Object(element, "$.groups"))
        {
            return groups;
        }

        foreach (var group in element.EnumerateObject())
        {
            var path = "$.groups." + group.Name;
            if (queues.Contains(group.Name, StringComparer.Ordinal))
            {
                Error(path, $"'{group.Name}' is already a queue of this board");
            }

            if (StringsOf(group.Value, path) is { } members)
            {
                for (var i = 0; i < members.Count; i++)
                {
                    if (!queues.Contains(members[i], StringComparer.Ordinal))
                    {
                        Error(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), $"'{members[i]}' is not one of the board's queues");
                    }
                }

                groups[group.Name] = members;
            }
        }

        return groups;
    }

    private Tile? TileOf(JsonElement element, string path, IReadOnlyList<string> queues, Dictionary<string, IReadOnlyList<string>> groups, IReadOnlyList<string> campaigns)
    {
        if (!Object(element, path))
        {
            return null;
        }

        Known(element, path, "id", "title", "kpi", "window", "queues", "campaigns", "format", "target", "thresholds", "size");
        var id = RequiredString(element, path, "id");
        // Without a title the screen shows the KPI's name from the glossary (web/i18n/glossary.json).
        var title = Texts(element, path, "title", required: false) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var kpi = RequiredString(element, path, "kpi");
        var window = RequiredString(element, path, "window");
        var format = OptionalString(element, path, "format") ?? "number";
        var tileQueues = Strings(element, path, "queues");
        var tileCampaigns = Strings(element, path, "campaigns");
        var target = Number(element, path, "target");
        var size = OptionalString(element, path, "size") ?? TileSizes.Small;
        if (!KpiCatalog.TileSizes.Contains(size))
        {
            Error(path + ".size", $"'{size}' is not a size (small, medium, large)");
        }

        KpiSource? source = null;
        if (kpi is not null)
        {
            if (KpiCatalog.Kpis.TryGetValue(kpi, out var found))
            {
                source = found;
            }
            else
            {
                Error(path + ".kpi", $"'{kpi}' is not a KPI");
            }
        }

        if (window is not null)
        {
            var live = window == KpiCatalog.LiveWindowName;
            if (!live && !KpiCatalog.Windows.ContainsKey(window))
            {
                Error(path + ".window", $"'{window}' is not a window (live, last15, last30, last60, shift, today)");
            }
            else if (source is { } s && live != KpiCatalog.IsLive(s))
            {
                Error(path + ".window", live
                    ? $"'{kpi}' is counted over a period; use last15, last30, last60, shift or today"
                    : $"'{kpi}' is a live figure; its window is 'live'");
            }
        }

        if (!KpiCatalog.Formats.Contains(format))
        {
            Error(path + ".format", $"'{format}' is not a format (number, percent, duration, decimal)");
        }

        if (tileQueues is not null)
        {
            for (var i = 0; i < tileQueues.Count; i++)
            {
                if (!queues.Contains(tileQueues[i], StringComparer.Ordinal) && !groups.ContainsKey(tileQueues[i]))
                {
                    Error(string.Create(CultureInfo.InvariantCulture, $"{path}.queues[{i}]"), $"'{tileQueues[i]}' is neither a queue nor a group of this board");
                }
            }
        }

        if (source == KpiSource.Campaign)
        {
            if (tileQueues is not null)
            {
                Error(path + ".queues", $"'{kpi}' is a campaign KPI; name 'campaigns' instead");
            }

            if ((tileCampaigns ?? campaigns).Count == 0)
            {
                Error(path + ".campaigns", $"'{kpi}' needs campaigns, on the tile or the board");
            }
        }
        else if (source is not null && tileCampaigns is not null)
        {
            Error(path + ".campaigns", $"'{kpi}' is a queue KPI; name 'queues' instead");
        }

        var thresholds = Property(element, "thresholds") is { } bands ? BandsOf(bands, path + ".thresholds", kpi) : null;
        return id is null || kpi is null || window is null
            ? null
            : new Tile(id, title, kpi, window, tileQueues, tileCampaigns, format, target, thresholds) { Size = size };
    }

    private Thresholds? BandsOf(JsonElement element, string path, string? kpi)
    {
        if (!Object(element, path))
        {
            return null;
        }

        Known(element, path, "direction", "amber", "red");
        // The KPI's own direction (Metrics.Targets.KpiDirections) is the default; a figure without one must say.
        var implied = kpi is null ? null : KpiCatalog.BandDirection(kpi);
        var direction = OptionalString(element, path, "direction") ?? implied;
        if (direction is null && kpi is not null)
        {
            Error(path + ".direction", $"'{kpi}' is neither better higher nor lower: give 'direction' ('above' or 'below')");
        }
        else if (implied is not null && direction is "above" or "below" && direction != implied)
        {
            Error(path + ".direction", $"'{direction}' turns red on the good side: {kpi} is better {(implied == "above" ? "lower" : "higher")}, so its direction is '{implied}'");
        }

        var amber = Number(element, path, "amber");
        var red = Number(element, path, "red");
        if (direction is not null and not "above" and not "below")
        {
            Error(path + ".direction", $"'{direction}' is not 'above' or 'below'");
        }

        if (amber is { } a && red is { } r && ((direction == "above" && a > r) || (direction == "below" && a < r)))
        {
            Error(path, direction == "above"
                ? string.Create(CultureInfo.InvariantCulture, $"amber ({a}) must not be above red ({r}) when direction is 'above'")
                : string.Create(CultureInfo.InvariantCulture, $"amber ({a}) must not be below red ({r}) when direction is 'below'"));
        }

        if (amber is null && red is null)
        {
            Error(path, "give 'amber', 'red' or both");
        }

        return direction is null ? null : new Thresholds(direction, amber, red);
    }

    private QueueTable? QueueTableOf(JsonElement root, IReadOnlyList<Tile> tiles)
    {
        const string path = "$.queueTable";
        if (Property(root, "queueTable") is not { } element || !Object(element, path))
        {
            return null;
        }

        Known(element, path, "window", "kpis", "thresholds");
        var window = RequiredString(element, path, "window");
        if (window is not null && !KpiCatalog.Windows.ContainsKey(window))
        {
            Error(path + ".window", $"'{window}' is not a period window (last15, last30, last60, shift, today)");
        }

        var kpis = Strings(element, path, "kpis") ?? [];
        for (var i = 0; i < kpis.Count; i++)
        {
            if (!KpiCatalog.Kpis.TryGetValue(kpis[i], out var source) || source is KpiSource.Campaign)
            {
                Error(string.Create(CultureInfo.InvariantCulture, $"{path}.kpis[{i}]"), $"'{kpis[i]}' is not a queue KPI");
            }
        }

        var own = new Dictionary<string, Thresholds>(StringComparer.Ordinal);
        if (Property(element, "thresholds") is { } bands && Object(bands, path + ".thresholds"))
        {
            foreach (var kpi in bands.EnumerateObject())
            {
                var kpiPath = path + ".thresholds." + kpi.Name;
                if (!kpis.Contains(kpi.Name, StringComparer.Ordinal))
                {
                    Error(kpiPath, $"'{kpi.Name}' is not one of the table's kpis");
                }
                else if (BandsOf(kpi.Value, kpiPath, kpi.Name) is { } bandsOfKpi)
                {
                    own[kpi.Name] = bandsOfKpi;
                }
            }
        }

        var thresholds = new Dictionary<string, Thresholds>(StringComparer.Ordinal);
        foreach (var kpi in kpis)
        {
            if ((own.GetValueOrDefault(kpi) ?? InheritedBands(kpi, tiles)) is { } resolved)
            {
                thresholds[kpi] = resolved;
            }
        }

        return window is null ? null : new QueueTable(window, kpis) { Thresholds = thresholds };
    }

    private WaitingList? WaitingListOf(JsonElement root, QueueTable? table, IReadOnlyList<Tile> tiles)
    {
        const string path = "$.waitingList";
        if (Property(root, "waitingList") is not { } element || !Object(element, path))
        {
            return null;
        }

        Known(element, path, "max");
        var max = Number(element, path, "max") ?? 20;
        if (max is < 1 or > 200 || max != Math.Floor(max))
        {
            Error(path + ".max", string.Create(CultureInfo.InvariantCulture, $"must be a whole number from 1 to 200, got {max}"));
        }

        const string Wait = "longest_wait_seconds";
        return new WaitingList((int)max, table?.Thresholds.GetValueOrDefault(Wait) ?? InheritedBands(Wait, tiles));
    }

    private Rotation? RotationOf(JsonElement root, string? id)
    {
        const string path = "$.rotation";
        foreach (var shown in (string[])["queues", "groups", "campaigns", "tiles", "queueTable", "agentBoard", "nextHours", "waitingList"])
        {
            if (Property(root, shown) is not null)
            {
                Error("$." + shown, "a rotation shows other dashboards and has nothing of its own; move it to one of its pages");
            }
        }

        if (Property(root, "rotation") is not { } element || !Object(element, path))
        {
            return null;
        }

        Known(element, path, "seconds", "pages");
        var seconds = Number(element, path, "seconds") ?? 30;
        if (seconds is < 5 or > 3600 || seconds != Math.Floor(seconds))
        {
            Error(path + ".seconds", string.Create(CultureInfo.InvariantCulture, $"must be a whole number of seconds from 5 to 3600, got {seconds}"));
        }

        var pages = Strings(element, path, "pages") ?? [];
        if (pages.Count < 2)
        {
            Error(path + ".pages", "name at least two dashboards to show in turn");
        }

        for (var i = 0; i < pages.Count; i++)
        {
            if (pages[i] == id)
            {
                Error(string.Create(CultureInfo.InvariantCulture, $"{path}.pages[{i}]"), "a rotation cannot show itself");
            }
        }

        return new Rotation((int)seconds, pages);
    }

    private NextHours? NextHoursOf(JsonElement root)
    {
        const string path = "$.nextHours";
        if (Property(root, "nextHours") is not { } element || !Object(element, path))
        {
            return null;
        }

        Known(element, path, "hours", "step");
        var hours = Number(element, path, "hours") ?? 4;
        var step = OptionalString(element, path, "step") ?? "30m";
        var minutes = step switch { "15m" => 15, "30m" => 30, "1h" => 60, _ => 0 };
        if (minutes == 0)
        {
            Error(path + ".step", $"'{step}' is not a step (15m, 30m, 1h)");
        }

        if (hours is < 1 or > 24 || hours != Math.Floor(hours))
        {
            Error(path + ".hours", string.Create(CultureInfo.InvariantCulture, $"must be a whole number of hours from 1 to 24, got {hours}"));
        }

        return minutes == 0 ? null : new NextHours((int)hours, minutes);
    }

    private AgentBoard? AgentBoardOf(JsonElement root)
    {
        const string path = "$.agentBoard";
        if (Property(root, "agentBoard") is not { } element || !Object(element, path))
        {
            return null;
        }

        Known(element, path, "teams", "states", "thresholds", "pauseReasons", "figures", "pageSeconds", "overflow");
        var teams = Strings(element, path, "teams") ?? [];
        var states = Strings(element, path, "states") ?? ["available", "ringing", "on_call", "wrap_up", "paused"];
        for (var i = 0; i < states.Count; i++)
        {
            if (!KpiCatalog.AgentStates.Contains(states[i]))
            {
                Error(string.Create(CultureInfo.InvariantCulture, $"{path}.states[{i}]"), $"'{states[i]}' is not an agent state");
            }
        }

        var thresholds = new Dictionary<string, Thresholds>(KpiCatalog.DefaultTimeInState, StringComparer.Ordinal);
        foreach (var (state, bands) in TimeBands(element, path, "thresholds"))
        {
            if (KpiCatalog.AgentStates.Contains(state))
            {
                thresholds[state] = bands;
            }
            else
            {
                Error(path + ".thresholds." + state, $"'{state}' is not an agent state");
            }
        }

        var pauseReasons = TimeBands(element, path, "pauseReasons");
        var figures = Strings(element, path, "figures") ?? ["handled"];
        for (var i = 0; i < figures.Count; i++)
        {
            if (!KpiCatalog.AgentFigures.Contains(figures[i]))
            {
                Error(string.Create(CultureInfo.InvariantCulture, $"{path}.figures[{i}]"), $"'{figures[i]}' is not an agent figure (handled, attempts, connected, conversions)");
            }
        }

        var pageSeconds = Number(element, path, "pageSeconds") ?? 10;
        if (pageSeconds is < 3 or > 600 || pageSeconds != Math.Floor(pageSeconds))
        {
            Error(path + ".pageSeconds", string.Create(CultureInfo.InvariantCulture, $"must be a whole number of seconds from 3 to 600, got {pageSeconds}"));
        }

        var overflow = OptionalString(element, path, "overflow") ?? AgentOverflow.Pages;
        if (overflow is not AgentOverflow.Pages and not AgentOverflow.Priority)
        {
            Error(path + ".overflow", $"'{overflow}' is not 'pages' or 'priority'");
        }

        return new AgentBoard(teams, states)
        {
            Overflow = overflow,
            Thresholds = thresholds,
            PauseReasons = pauseReasons,
            Figures = figures,
            PageSeconds = (int)pageSeconds,
        };
    }

    /// <summary>Seconds-in-state bands by name (<c>{"on_call": {"amber": 600, "red": 900}}</c>): turning amber, then red, as time goes up.</summary>
    private Dictionary<string, Thresholds> TimeBands(JsonElement element, string parentPath, string name)
    {
        var bands = new Dictionary<string, Thresholds>(StringComparer.Ordinal);
        var path = parentPath + "." + name;
        if (Property(element, name) is not { } map || !Object(map, path))
        {
            return bands;
        }

        foreach (var entry in map.EnumerateObject())
        {
            var entryPath = path + "." + entry.Name;
            if (!Object(entry.Value, entryPath))
            {
                continue;
            }

            Known(entry.Value, entryPath, "amber", "red");
            var amber = Number(entry.Value, entryPath, "amber");
            var red = Number(entry.Value, entryPath, "red");
            if (amber is null && red is null)
            {
                Error(entryPath, "give 'amber', 'red' or both (seconds)");
            }
            else if (amber is < 0 || red is < 0)
            {
                Error(entryPath, "seconds must not be negative");
            }
            else if (amber is { } a && red is { } r && a > r)
            {
                Error(entryPath, string.Create(CultureInfo.InvariantCulture, $"amber ({a} s) must not be after red ({r} s)"));
            }
            else
            {
                bands[entry.Name] = new Thresholds("above", amber, red);
            }
        }

        return bands;
    }

    private static bool IsId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private void Known(JsonElement element, string path, params string[] names)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Contains(property.Name, StringComparer.Ordinal))
            {
                Error(path + "." + property.Name, "is not a known property (" + string.Join(", ", names) + ")");
            }
        }
    }

    private bool Object(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        Error(path, $"must be an object, not {Kind(element)}");
        return false;
    }

    private bool Array(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            return true;
        }

        Error(path, $"must be an array, not {Kind(element)}");
        return false;
    }

    private string? RequiredString(JsonElement element, string path, string name)
    {
        if (Property(element, name) is not { } value)
        {
            Error(path + "." + name, "is required");
            return null;
        }

        return StringOf(value, path + "." + name);
    }

    private string? OptionalString(JsonElement element, string path, string name) =>
        Property(element, name) is { } value ? StringOf(value, path + "." + name) : null;

    private string? StringOf(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        Error(path, $"must be a non-empty string, not {Kind(value)}");
        return null;
    }

    private double? Number(JsonElement element, string path, string name)
    {
        if (Property(element, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }

        Error(path + "." + name, $"must be a number, not {Kind(value)}");
        return null;
    }

    private List<string>? Strings(JsonElement element, string path, string name) =>
        Property(element, name) is { } value ? StringsOf(value, path + "." + name) : null;

    private List<string>? StringsOf(JsonElement value, string path)
    {
        if (!Array(value, path))
        {
            return null;
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]");
            if (StringOf(item, itemPath) is { } text)
            {
                if (list.Contains(text, StringComparer.Ordinal))
                {
                    Error(itemPath, $"'{text}' is listed twice");
                }

                list.Add(text);
            }
        }

        return list;
    }

    /// <summary>A text per language (<c>{"en": "…", "zh-CN": "…"}</c>), or a plain string taken as English.</summary>
    private Dictionary<string, string>? Texts(JsonElement element, string path, string name, bool required)
    {
        var textPath = path + "." + name;
        if (Property(element, name) is not { } value)
        {
            if (required)
            {
                Error(textPath, "is required");
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return StringOf(value, textPath) is { } plain ? new Dictionary<string, string>(StringComparer.Ordinal) { ["en"] = plain } : null;
        }

        if (!Object(value, textPath))
        {
            return null;
        }

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (StringOf(property.Value, textPath + "." + property.Name) is { } text)
            {
                texts[property.Name] = text;
            }
        }

        if (texts.Count == 0)
        {
            Error(textPath, "needs at least one language");
        }

        return texts;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private void Error(string path, string message) => _errors.Add(new DashboardError(_file, path, message));
}
