using System.Text;
using Wallboard.Ingest.Model;

namespace Wallboard.Tests;

public sealed class Utf8InternerTests
{
    [Fact]
    public void EveryIdComesBackAsItsTextWithItsKeyWhenTheTableOverflows()
    {
        // 20,000 ids through a table of 64: most are overwritten before they come back. Short and
        // long ids (a call id, a 40-byte channel name) and ids beyond ASCII.
        var interner = new Utf8Interner(64);
        var random = new Random(16);
        var ids = Enumerable.Range(0, 2_000).Select(i => (i % 4) switch
        {
            0 => $"1700000000.{i}",
            1 => $"PJSIP/trunk-provider-{i:D6}-0000abcd;2",
            2 => $"坐席{i}",
            _ => new string('x', i % 30),
        }).ToArray();
        for (var n = 0; n < 20_000; n++)
        {
            var id = ids[random.Next(ids.Length)];
            var interned = interner.Intern(Encoding.UTF8.GetBytes(id));
            Assert.Equal(id, interned.Text);
            Assert.Equal(IdKey.Of(id), interned.Key);
            Assert.Same(interned.Text, interner.Intern(Encoding.UTF8.GetBytes(id)).Text);
        }
    }

    [Fact]
    public void IdsThatDifferOnlyPastTheirFirstBytesAreNotConfused()
    {
        var interner = new Utf8Interner(4096);
        var a = interner.Intern("1700000000.12345678901234567890-a"u8);
        var b = interner.Intern("1700000000.12345678901234567890-b"u8);
        var c = interner.Intern("1700000000.1234567890123"u8);
        var d = interner.Intern("1700000000.1234567890124"u8);
        Assert.Equal(
            ["1700000000.12345678901234567890-a", "1700000000.12345678901234567890-b", "1700000000.1234567890123", "1700000000.1234567890124"],
            new[] { a, b, c, d }.Select(id => id.Text));
        Assert.Same(a.Text, interner.Intern("1700000000.12345678901234567890-a"u8).Text);
        Assert.Same(d.Text, interner.Intern("1700000000.1234567890124"u8).Text);
        Assert.Equal(InternedId.Empty, interner.Intern([]));
    }
}
