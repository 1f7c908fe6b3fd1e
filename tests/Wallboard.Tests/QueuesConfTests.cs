using Wallboard.Ingest.QueueLog;

namespace Wallboard.Tests;

/// <summary>
/// queues.conf as Asterisk's configs/samples/queues.conf.sample documents it
/// (<c>member => interface,penalty,membername,state_interface,ringinuse,wrapuptime,paused</c>), and FreePBX's
/// queues_additional.conf (<c>member=Local/1001@from-queue/n,0,Name,hint:1001@ext-local</c>).
/// </summary>
public sealed class QueuesConfTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-queuesconf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void MembersOfEverySectionAreReadWithTheNamesAsteriskGivesThem()
    {
        const string Text = """
            [general]
            persistentmembers = yes ; not a member
            log_membername_as_agent = no

            [sales](!)          ; a template
            member => DAHDI/1
            member => DAHDI/3,10,Bob Johnson
            ;member => DAHDI/9,0,Commented Out
            member => Local/1001@agents,0,May Flowers,Agent:1001
            member=Local/1002@from-queue/n,0,"Doe, John",hint:1002@ext-local,no
            ;-- a block
            member => SIP/77,0,Hidden
            comment --;
            member => PJSIP/2000,0,Semi\;Colon
            """;

        var problems = new List<string>();
        var members = QueuesConf.Parse(Text, "queues.conf", problems);

        Assert.Empty(problems);
        Assert.Equal(
        [
            ("sales", "DAHDI/1", "DAHDI/1", "DAHDI/1"),
            ("sales", "DAHDI/3", "Bob Johnson", "DAHDI/3"),
            ("sales", "Local/1001@agents", "May Flowers", "Agent:1001"),
            ("sales", "Local/1002@from-queue/n", "Doe, John", "hint:1002@ext-local"),
            ("sales", "PJSIP/2000", "Semi;Colon", "PJSIP/2000"),
        ],
        members.Select(m => (m.Queue, m.Interface, m.MemberName, m.StateInterface)));
        Assert.Equal("queues.conf:10", members[3].Origin);
    }

    [Fact]
    public void IncludesAreFollowedRelativeToTheIncludingFileAndAMissingOneIsReported()
    {
        File.WriteAllText(Path.Combine(_dir, "queues.conf"), """
            [general]
            #include queues_additional.conf
            #tryinclude queues_custom.conf
            #include "queues_missing.conf"
            """);
        Directory.CreateDirectory(Path.Combine(_dir, "extra"));
        File.WriteAllText(Path.Combine(_dir, "queues_additional.conf"), """
            [1501]
            member=Local/7009@from-queue/n,0,Sathish,hint:7009@ext-local
            #include extra/*.conf
            """);
        File.WriteAllText(Path.Combine(_dir, "extra", "more.conf"), "[1509]\nmember => PJSIP/7051,0,Meena\n#include ../queues.conf\n");

        var problems = new List<string>();
        var read = new List<string>();
        var members = QueuesConf.Read(Path.Combine(_dir, "queues.conf"), problems, read);

        Assert.Equal([("1501", "Sathish"), ("1509", "Meena")], members.Select(m => (m.Queue, m.MemberName)));
        Assert.Equal(3, read.Count);
        Assert.Equal(
        [
            "queues.conf: included again from within itself; not read twice",
            "queues.conf:4: #include queues_missing.conf: no such file",
        ],
        problems);
    }

    [Fact]
    public void AMemberWithoutAnInterfaceIsReportedByLine()
    {
        var problems = new List<string>();
        Assert.Empty(QueuesConf.Parse("[q]\nmember => ,0,Nobody\n", "queues.conf", problems));
        Assert.Equal(["queues.conf:2: member without an interface"], problems);
    }
}
