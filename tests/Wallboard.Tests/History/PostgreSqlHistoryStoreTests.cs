using Npgsql;
using Wallboard.Hub.Cluster;
using Wallboard.Metrics.History;
using Wallboard.Tests.Cluster;

namespace Wallboard.Tests.History;

/// <summary>
/// The history contract against the real PostgreSQL, roll-ups included: the store a cluster without
/// InfluxDB writes (docs/cluster.md). Each test gets a schema of its own in one database.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class PostgreSqlHistoryStoreTests(ClusterServersFixture servers) : HistoryRollupContractTests, IDisposable
{
    private readonly string _schema = "history_" + Guid.NewGuid().ToString("N");
    private NpgsqlDataSource? _data;
    private readonly List<PostgreSqlHistoryStore> _others = [];
    private PostgreSqlHistoryStore? _reopened;

    public void Dispose()
    {
        _reopened?.Dispose();
        _others.ForEach(store => store.Dispose());
    }

    protected override async Task<IKpiHistoryStore> CreateStoreAsync()
    {
        _data = NpgsqlDataSource.Create(await servers.SharedDatabaseAsync());
        return new PostgreSqlHistoryStore(_data, _schema, rollups: Rollups);
    }

    protected override Task<IKpiHistoryStore> OpenAgainAsync(StoredRollups rollups)
    {
        var store = new PostgreSqlHistoryStore(_data!, _schema, rollups: rollups);
        _others.Add(store);
        return Task.FromResult<IKpiHistoryStore>(store);
    }

    protected override async Task DropStoreAsync(IKpiHistoryStore store)
    {
        await ((PostgreSqlHistoryStore)store).DisposeAsync();
        await using (var drop = _data!.CreateCommand($"DROP SCHEMA \"{_schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await _data.DisposeAsync();
    }

    /// <summary>The tables of the schema before <c>withdrawn</c>: the column dropped, a row written without it, the store opened again.</summary>
    protected override async Task<IKpiHistoryStore> StoreWithAPointFromBeforeWithdrawnAsync(string queue, long start, long offered)
    {
        // The first query makes the schema.
        Assert.Null(await Store.GetWrittenUpToAsync());
        var older = HistorySchema.Fields(HistoryKind.Queues).Where(field => field != "withdrawn").ToList();
        await using (var command = _data!.CreateCommand(
            $"ALTER TABLE \"{_schema}\".queue_interval DROP COLUMN withdrawn; "
            + $"INSERT INTO \"{_schema}\".queue_interval (queue, interval_start_ms, {string.Join(", ", older)}) "
            + $"VALUES (@queue, @start, {string.Join(", ", older.Select(field => field == "offered" ? "@offered" : "0"))})"))
        {
            command.Parameters.AddWithValue("queue", queue);
            command.Parameters.AddWithValue("start", start);
            command.Parameters.AddWithValue("offered", offered);
            await command.ExecuteNonQueryAsync();
        }

        _reopened = new PostgreSqlHistoryStore(_data, _schema);
        return _reopened;
    }

    [Fact]
    public async Task TwentyThousandPointsGoInOneWriteAndAKeyRepeatedInItKeepsItsLastValue()
    {
        var t = Utc("2026-11-27T00:00:00Z");
        var points = Enumerable.Range(0, 20_000)
            .Select(i => HistoryPoint.Queue("q" + (i % 200).ToString(System.Globalization.CultureInfo.InvariantCulture), t + ((i / 200) * HistoryPoint.IntervalMs), new() { Offered = i }))
            .Append(HistoryPoint.Queue("q0", t, new() { Offered = 7 }))
            .ToList();

        await Store.WriteAsync(points, writtenUpToMs: t + (100 * HistoryPoint.IntervalMs));

        var all = await Store.QueryAsync(HistoryKind.Queues, null, t, t + (100 * HistoryPoint.IntervalMs));
        Assert.Equal(20_000, all.Count);
        // q0 at t was first written 0 (i = 0), then 7 in the same write: the later point wins.
        Assert.Equal(7, all.Single(point => point.Id == "q0" && point.IntervalStartMs == t).QueueCounters.Offered);
        Assert.Equal(19_999, all.Single(point => point.Id == "q199" && point.IntervalStartMs == t + (99 * HistoryPoint.IntervalMs)).QueueCounters.Offered);
    }
}
