using System.Globalization;
using System.Text;
using System.Text.Json;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>
/// The roll-ups of the InfluxDB store. Each is a measurement per kind (<c>agent_1h@UTC</c>,
/// <c>agent_1d@Asia/Shanghai</c>) with the id tag and the kind's fields, filled by InfluxDB itself
/// with <c>SELECT sum(…) INTO … GROUP BY time(…), "agent"</c>: the statement a continuous query
/// would run, but run by the store right after each write for exactly the buckets the write touched,
/// so late and rewritten intervals fix their roll-ups (a continuous query only recomputes the recent
/// windows its <c>RESAMPLE FOR</c> covers, and groups days in UTC).
/// </summary>
/// <remarks>
/// Which roll-ups the database holds and which are complete is the measurement
/// <c>history_rollups</c> (tag <c>rollup</c>, field <c>complete</c>, at time 0).
/// </remarks>
internal sealed partial class InfluxHistoryStore
{
    private const string RegistryMeasurement = "history_rollups";

    /// <summary>Above this many ids in one run of buckets, the rebuild takes every id of the run instead of listing them.</summary>
    private const int MaxListedIds = 100;

    /// <summary>A roll-up is built over stored points this many days of buckets at a time.</summary>
    private const int BuildChunkDays = 31;

    private readonly SemaphoreSlim _rollupStateGate = new(1, 1);
    private volatile HashSet<string>? _completeRollups;

    /// <summary>The roll-ups this store keeps.</summary>
    public StoredRollups Rollups { get; }

    public IReadOnlyList<string> IncompleteRollups =>
        [.. Rollups.All.Where(rollup => _completeRollups?.Contains(rollup.Name) != true).Select(rollup => rollup.Name)];

    /// <summary>The measurement of a kind's roll-up: <c>queue_1d@Asia/Shanghai</c>, …</summary>
    internal static string Measurement(HistoryKind kind, StoredRollup rollup) => HistorySchema.IdName(kind) + "_" + rollup.Name;

    /// <summary>
    /// Builds every incomplete roll-up from the stored points, a month of buckets per statement,
    /// and marks it complete; until then queries read the 15-minute points.
    /// </summary>
    /// <returns>The number of roll-ups built.</returns>
    public async Task<int> BuildRollupsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureRollupStateAsync(cancellationToken).ConfigureAwait(false);
        var built = 0;
        foreach (var rollup in Rollups.All.Where(rollup => _completeRollups?.Contains(rollup.Name) != true))
        {
            foreach (var kind in Enum.GetValues<HistoryKind>())
            {
                if (await StoredSpanAsync(kind, cancellationToken).ConfigureAwait(false) is not var (first, last))
                {
                    continue;
                }

                var calendar = rollup.NewCalendar();
                for (var from = calendar.StartOf(first); from <= last;)
                {
                    var buckets = new SortedDictionary<long, HashSet<string>?>();
                    var until = from + (BuildChunkDays * 86_400_000L);
                    var next = from;
                    for (; next <= last && next < until; next = calendar.EndOf(next))
                    {
                        buckets[next] = null;
                    }

                    await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await RunStatementsAsync(RebuildStatements(kind, rollup, buckets), cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        _gate.Release();
                    }

                    from = next;
                }
            }

            await WriteRegistryAsync([rollup.Name], complete: true, cancellationToken).ConfigureAwait(false);
            _completeRollups = new HashSet<string>(_completeRollups ?? new HashSet<string>(), StringComparer.Ordinal) { rollup.Name };
            Log.RollupBuilt(_logger, rollup.Name, _database);
            built++;
        }

        return built;
    }

    /// <summary>
    /// Rebuilds the roll-up buckets that hold <paramref name="keys"/> (kind, id, interval start of
    /// points InfluxDB has just accepted). False when InfluxDB could not be reached (the caller keeps
    /// the write to send again); a statement InfluxDB refuses marks the roll-ups incomplete, so that
    /// queries read the 15-minute points until they are built again.
    /// </summary>
    private async Task<bool> TryRebuildRollupsAsync(IReadOnlyCollection<(HistoryKind Kind, string Id, long StartMs)> keys, CancellationToken cancellationToken)
    {
        if (Rollups.All.Count == 0 || keys.Count == 0)
        {
            return true;
        }

        var statements = new List<string>();
        foreach (var rollup in Rollups.All)
        {
            var calendar = rollup.NewCalendar();
            foreach (var kind in keys.Select(key => key.Kind).Distinct())
            {
                var buckets = new SortedDictionary<long, HashSet<string>?>();
                foreach (var (_, id, start) in keys.Where(key => key.Kind == kind))
                {
                    var bucket = calendar.StartOf(start);
                    if (!buckets.TryGetValue(bucket, out var ids))
                    {
                        ids = buckets[bucket] = new HashSet<string>(StringComparer.Ordinal);
                    }

                    ids!.Add(id);
                }

                statements.AddRange(RebuildStatements(kind, rollup, buckets));
            }
        }

        return await WhenReachableAsync(async () =>
        {
            try
            {
                await RunStatementsAsync(statements, cancellationToken).ConfigureAwait(false);
            }
            catch (InfluxException ex) when (!ex.Transient)
            {
                Log.RollupFailed(_logger, ex.Message);
                await WriteRegistryAsync([.. Rollups.All.Select(rollup => rollup.Name)], complete: false, cancellationToken).ConfigureAwait(false);
                _completeRollups = new HashSet<string>(StringComparer.Ordinal);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One <c>SELECT … INTO</c> per run of buckets of one length (<see cref="StoredRollup.Runs"/>),
    /// grouped by <c>time(length, offset)</c> so that InfluxDB's buckets are the roll-up's, for the ids
    /// of the run's buckets (<c>Ids</c> null, or more than a few dozen: every id).
    /// </summary>
    private static List<string> RebuildStatements(HistoryKind kind, StoredRollup rollup, SortedDictionary<long, HashSet<string>?> buckets)
    {
        var fields = HistorySchema.Fields(kind);
        var tag = QuoteIdentifier(HistorySchema.IdName(kind));
        var aggregates = string.Join(", ", fields.Select(field => $"{(HistorySchema.IsMaximum(field) ? "max" : "sum")}({QuoteIdentifier(field)}) AS {QuoteIdentifier(field)}"));
        var into = QuoteIdentifier(Measurement(kind, rollup));
        var source = QuoteIdentifier(rollup.Source is { } from ? Measurement(kind, from) : HistorySchema.TableName(kind));
        var starts = buckets.Keys.ToList();
        var idSets = buckets.Values.ToList();
        var statements = new List<string>();
        foreach (var run in StoredRollup.Runs(rollup.NewCalendar(), starts))
        {
            var offset = ((run.FromMs % run.LengthMs) + run.LengthMs) % run.LengthMs;
            var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
                $"SELECT {aggregates} INTO {into} FROM {source} WHERE time >= {run.FromMs}ms AND time < {run.ToMs}ms"));
            var sets = idSets.GetRange(run.First, run.Count);
            if (sets.All(set => set is not null) && sets.SelectMany(set => set!).Distinct(StringComparer.Ordinal).ToList() is { Count: <= MaxListedIds } ids)
            {
                text.Append(" AND (").AppendJoin(" OR ", ids.Order(StringComparer.Ordinal).Select(id => $"{tag} = {QuoteString(id)}")).Append(')');
            }

            text.Append(CultureInfo.InvariantCulture, $" GROUP BY time({run.LengthMs}ms, {offset}ms), {tag} fill(none)");
            statements.Add(text.ToString());
        }

        return statements;
    }

    /// <summary>
    /// Loads which roll-ups the database holds, once: a new one is complete at once in a database
    /// without intervals, else it waits for <see cref="BuildRollupsAsync"/>; one the database holds but
    /// this store does not keep is marked incomplete (its points stay, never read), since writes no
    /// longer keep it up to date.
    /// </summary>
    private async Task EnsureRollupStateAsync(CancellationToken cancellationToken)
    {
        if (_completeRollups is not null)
        {
            return;
        }

        await _rollupStateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completeRollups is not null)
            {
                return;
            }

            if (!_databaseReady)
            {
                await EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
            }

            var stored = new Dictionary<string, bool>(StringComparer.Ordinal);
            await QueryRowsAsync($"SELECT \"rollup\", \"complete\" FROM {QuoteIdentifier(RegistryMeasurement)}", columns =>
            {
                var name = Array.IndexOf(columns, "rollup");
                var complete = Array.IndexOf(columns, "complete");
                return row =>
                {
                    if (name >= 0 && complete >= 0 && row[name].ValueKind == JsonValueKind.String)
                    {
                        stored[row[name].GetString()!] = row[complete].ValueKind == JsonValueKind.Number && row[complete].GetInt64() != 0;
                    }
                };
            }, cancellationToken).ConfigureAwait(false);

            var forgotten = stored.Where(entry => entry.Value && Rollups.Named(entry.Key) is null).Select(entry => entry.Key).ToList();
            await WriteRegistryAsync(forgotten, complete: false, cancellationToken).ConfigureAwait(false);

            var missing = Rollups.All.Where(rollup => !stored.ContainsKey(rollup.Name)).Select(rollup => rollup.Name).ToList();
            if (missing.Count > 0)
            {
                var intervals = Enum.GetValues<HistoryKind>().Select(HistorySchema.TableName).ToHashSet(StringComparer.Ordinal);
                var nothingStored = true;
                await QueryRowsAsync("SHOW MEASUREMENTS", _ => row => nothingStored &= !(row[0].ValueKind == JsonValueKind.String && intervals.Contains(row[0].GetString()!)), cancellationToken).ConfigureAwait(false);
                await WriteRegistryAsync(missing, complete: nothingStored, cancellationToken).ConfigureAwait(false);
                foreach (var name in missing)
                {
                    stored[name] = nothingStored;
                }
            }

            _completeRollups = stored.Where(entry => entry.Value && Rollups.Named(entry.Key) is not null).Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal);
        }
        finally
        {
            _rollupStateGate.Release();
        }
    }

    private async Task WriteRegistryAsync(List<string> names, bool complete, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return;
        }

        var body = new StringBuilder();
        foreach (var name in names)
        {
            body.Append(RegistryMeasurement).Append(",rollup=");
            AppendEscapedTag(body, name);
            body.Append(CultureInfo.InvariantCulture, $" complete={(complete ? 1 : 0)}i 0\n");
        }

        if (!await TrySendAsync(body.ToString(), cancellationToken).ConfigureAwait(false))
        {
            throw new InfluxException("InfluxDB did not take the list of roll-ups", transient: true);
        }
    }

    /// <summary>The times of the first and last stored interval of a kind, or null when there is none.</summary>
    private async Task<(long First, long Last)?> StoredSpanAsync(HistoryKind kind, CancellationToken cancellationToken)
    {
        var field = QuoteIdentifier(HistorySchema.Fields(kind)[0]);
        var table = QuoteIdentifier(HistorySchema.TableName(kind));
        long? first = null, last = null;
        await QueryRowsAsync($"SELECT first({field}) FROM {table}; SELECT last({field}) FROM {table}", columns =>
        {
            var time = Array.IndexOf(columns, "time");
            var isFirst = Array.IndexOf(columns, "first") >= 0;
            return row =>
            {
                if (isFirst)
                {
                    first = row[time].GetInt64();
                }
                else
                {
                    last = row[time].GetInt64();
                }
            };
        }, cancellationToken).ConfigureAwait(false);
        return first is { } a && last is { } b ? (a, b) : null;
    }

    /// <summary>Runs InfluxQL statements against the database in order, a few dozen per request.</summary>
    private async Task RunStatementsAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        foreach (var batch in statements.Chunk(32))
        {
            await QueryRowsAsync(string.Join(";\n", batch), _ => _ => { }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The (kind, id, interval start) of each point in a body of line protocol this store wrote:
    /// what a spooled body's roll-ups must be rebuilt for once it is sent.
    /// </summary>
    internal static List<(HistoryKind Kind, string Id, long StartMs)> KeysOf(string body)
    {
        var keys = new List<(HistoryKind, string, long)>();
        var kinds = Enum.GetValues<HistoryKind>().ToDictionary(HistorySchema.TableName, kind => kind, StringComparer.Ordinal);
        var id = new StringBuilder();
        foreach (var line in body.AsSpan().EnumerateLines())
        {
            var measurementEnd = line.IndexOfAny(',', ' ');
            if (measurementEnd < 0 || !kinds.TryGetValue(line[..measurementEnd].ToString(), out var kind))
            {
                continue;
            }

            id.Clear();
            var at = measurementEnd;
            if (line[at] == ',')
            {
                // ",agent=" then the value, escaped as AppendEscapedTag does, up to an unescaped space.
                at = line.IndexOf('=') + 1;
                for (; at < line.Length && line[at] != ' '; at++)
                {
                    if (line[at] == '\\' && at + 1 < line.Length && line[at + 1] is ',' or '=' or ' ')
                    {
                        at++;
                    }

                    id.Append(line[at]);
                }
            }

            var timestamp = line[(line.LastIndexOf(' ') + 1)..];
            keys.Add((kind, id.ToString(), long.Parse(timestamp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)));
        }

        return keys;
    }
}
