using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Wallboard.Tests.Live;

namespace Wallboard.Tests.Staffing;

/// <summary>Staffing through the real host: /api/live/queues, /api/live/agents and the configuration section.</summary>
public sealed class LiveStaffingApiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-rota-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Now is 10:00 in Shanghai. SIP/1001 and SIP/1002 joined "sales" at 09:30; SIP/1001 is on the rota
    /// 09:00–11:00, so by 10:00 it was scheduled 60 minutes and there for 30 (adherence 0.5). One call
    /// answered after 10 s, 180 s talk: no abandons, so Erlang C.
    /// </summary>
    [Fact]
    public async Task QueueRowsCarryAgentsStaffedRequiredAndTheGapAndAgentRowsTheirAdherence()
    {
        var rota = Path.Combine(_dir, "rota.csv");
        await File.WriteAllTextAsync(rota, "agent,date,start,end,activity\nSIP/1001,2026-05-04,09:00,11:00,work\nSIP/1003,2026-05-04,25:00,11:00,work\n");
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string> { ["Staffing:RotaFile"] = rota }, ("sales.json", TestDashboards.Sales));
        await server.PostQueueLogAsync(LiveServer.Lines(
            LiveServer.QueueLog(1800, "NONE", "sales", "SIP/1001", "ADDMEMBER", string.Empty),
            LiveServer.QueueLog(1800, "NONE", "sales", "SIP/1002", "ADDMEMBER", string.Empty),
            LiveServer.QueueLog(600, "c1", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000001", 1),
            LiveServer.QueueLog(590, "c1", "sales", "SIP/1001", "CONNECT", 10, "c1-b", 3),
            LiveServer.QueueLog(410, "c1", "sales", "SIP/1001", "COMPLETECALLER", 10, 180, 1)));
        await server.TickAsync();
        using var http = server.Http();

        var sales = (await http.GetFromJsonAsync<JsonElement>(new Uri("api/live/queues", UriKind.Relative)))[0];
        Assert.Equal(2, sales.GetProperty("agentsStaffed").GetInt32());
        Assert.Equal(2, sales.GetProperty("agentsAvailable").GetInt32());
        var required = sales.GetProperty("agentsRequired").GetInt32();
        Assert.Equal(2 - required, sales.GetProperty("staffingGap").GetInt32());
        var staffing = sales.GetProperty("staffing");
        Assert.Equal("erlang-c", staffing.GetProperty("model").GetString());
        Assert.Equal(180, staffing.GetProperty("ahtSeconds").GetDouble());
        Assert.Equal(0.8, staffing.GetProperty("slTarget").GetDouble());
        Assert.Equal(JsonValueKind.Null, staffing.GetProperty("patienceSeconds").ValueKind);

        // One call in the window: 29 whole minutes (09:31–10:00) and the minute just begun, so 1,740 s.
        Assert.Equal(3600 / 1740.0, staffing.GetProperty("arrivalsPerHour").GetDouble(), 3);
        Assert.Equal(1, required);

        var agents = await http.GetFromJsonAsync<JsonElement>(new Uri("api/live/agents", UriKind.Relative));
        var a1 = agents.EnumerateArray().Single(a => a.GetProperty("agent").GetString() == "SIP/1001").GetProperty("adherence");
        Assert.Equal(3600, a1.GetProperty("scheduledSeconds").GetDouble());
        Assert.Equal(1800, a1.GetProperty("adheringSeconds").GetDouble());
        Assert.Equal(0.5, a1.GetProperty("adherence").GetDouble(), 9);
        Assert.Equal(JsonValueKind.Null, agents.EnumerateArray().Single(a => a.GetProperty("agent").GetString() == "SIP/1002").GetProperty("adherence").ValueKind);

        // The bad rota line (25:00) was reported by number and field, and the good one kept.
        var errors = server.Service<Wallboard.Hub.Staffing.RotaSource>().Errors;
        var error = Assert.Single(errors);
        Assert.Equal((3, "start"), (error.Line, error.Field));
    }

    [Theory]
    [InlineData("Staffing:Model", "erlang-b", "Staffing:Model: 'erlang-b'")]
    [InlineData("Staffing:SlTarget", "1.2", "Staffing:SlTarget:")]
    [InlineData("Staffing:Queues:vip:SlTarget", "-1", "Staffing:Queues:vip:SlTarget:")]
    [InlineData("Staffing:MaxOccupancy", "0", "Staffing:MaxOccupancy:")]
    [InlineData("Staffing:RotaTemplate:CycleStart", "tomorrow", "Staffing:RotaTemplate:CycleStart:")]
    public async Task BadStaffingConfigurationStopsTheStartNamingTheKey(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var server = await LiveServer.StartAsync(new Dictionary<string, string> { [key] = value }, ("sales.json", TestDashboards.Sales));
        });

        Assert.Contains(error.Failures, failure => failure.StartsWith(message, StringComparison.Ordinal));
    }
}
