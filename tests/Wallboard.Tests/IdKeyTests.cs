using System.IO.Hashing;
using System.Text;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Tests;

/// <summary>Ids as keys without their text: the same key whether made from the string or from its UTF-8 bytes.</summary>
public sealed class IdKeyTests
{
    [Fact]
    public void AKeyIsXxHash3OfTheUtf16Text()
    {
        // "42" in UTF-16 little-endian is 34 00 32 00.
        Assert.Equal(XxHash3.HashToUInt64([0x34, 0x00, 0x32, 0x00]), IdKey.Of("42"));
        Assert.Equal(XxHash3.HashToUInt64([0x34, 0x00, 0x32, 0x00]), IdKey.Of("42"u8));
    }

    [Theory]
    [InlineData("1700000000.42")]
    [InlineData("0612345678")]
    [InlineData("王小明")]
    [InlineData("café-1700000000.42")]
    public void TheBytesOfAnIdGiveTheKeyOfItsText(string id)
    {
        Assert.NotEqual(0UL, IdKey.Of(Encoding.UTF8.GetBytes(id)));
        Assert.Equal(IdKey.Of(id), IdKey.Of(Encoding.UTF8.GetBytes(id)));
    }

    [Fact]
    public void NoBytesAreNoId()
    {
        Assert.Equal(0UL, IdKey.Of(ReadOnlySpan<byte>.Empty));
        Assert.Equal(0UL, IdKey.Of((string?)null));
    }

    [Fact]
    public void InvalidUtf8HasTheKeyOfItsDecodedText()
    {
        // 0xFF is never UTF-8: decoding makes it U+FFFD, and so must the key.
        byte[] bytes = [(byte)'a', 0xFF, (byte)'b'];
        Assert.Equal(IdKey.Of("a\uFFFDb"), IdKey.Of(bytes));
    }

    [Fact]
    public void AnIdLongerThanTheStackBufferHasTheKeyOfItsText()
    {
        var ascii = new string('7', 300);
        var chinese = string.Concat(Enumerable.Repeat("呼叫", 100));
        Assert.Equal(IdKey.Of(ascii), IdKey.Of(Encoding.UTF8.GetBytes(ascii)));
        Assert.Equal(IdKey.Of(chinese), IdKey.Of(Encoding.UTF8.GetBytes(chinese)));
    }

    [Fact]
    public void AParserWithoutIdTextGivesTheSameKeysAndNoText()
    {
        // app_queue.c: ast_queue_log(args.queuename, ast_channel_uniqueid(chan), "NONE", "ENTERQUEUE", "%s|%s|%d",
        //     S_OR(args.url, ""), S_COR(…caller id…), qe.opos)
        const string Entered = "1700000000|1700000000.42|sales|NONE|ENTERQUEUE||0612345678|1";

        // app_queue.c: ast_queue_log(queuename, ast_channel_uniqueid(qe->chan), member->membername, "CONNECT", "%ld|%s|%ld",
        //     (long) (time(NULL) - qe->start), ast_channel_uniqueid(peer), (long)(orig - to > 0 ? (orig - to) / 1000 : 0))
        const string Connected = "1700000007|1700000000.42|sales|SIP/1001|CONNECT|7|1700000007.43|2";
        var withText = new QueueLogParser();
        var keysOnly = new QueueLogParser { KeepIdText = false };

        Assert.Equal(QueueLogLineResult.Event, keysOnly.Parse(Entered, out var entered, out _));
        Assert.Equal(QueueLogLineResult.Event, withText.Parse(Entered, out var enteredWithText, out _));
        Assert.Equal(IdKey.Of("1700000000.42"), entered.CallKey);
        Assert.Equal(IdKey.Of("0612345678"), entered.CustomerKey);
        Assert.Equal(enteredWithText.CallKey, entered.CallKey);
        Assert.Equal(enteredWithText.CustomerKey, entered.CustomerKey);
        Assert.Equal(string.Empty, entered.CallId);
        Assert.Null(entered.Customer);
        Assert.Equal(enteredWithText with { CallId = string.Empty, Customer = null }, entered with { CallId = string.Empty, Customer = null });

        Assert.Equal(QueueLogLineResult.Event, keysOnly.Parse(Connected, out var connected, out _));
        Assert.Equal(IdKey.Of("1700000000.42"), connected.CallKey);
        Assert.Equal(ContactEventKind.CallAnswered, connected.Kind);
        Assert.Equal(7_000, connected.WaitMs);
        Assert.Equal(2_000, connected.RingMs);
        Assert.Equal("SIP/1001", connected.Agent);
    }

    [Fact]
    public void AParserWithoutIdTextGivesNoCustomerKeyWithoutACallerId()
    {
        var keysOnly = new QueueLogParser { KeepIdText = false };
        Assert.Equal(QueueLogLineResult.Event, keysOnly.Parse("1700000000|1700000000.42|sales|NONE|ENTERQUEUE|||1", out var entered, out _));
        Assert.Equal(0UL, entered.CustomerKey);
        Assert.Equal(IdKey.Of("1700000000.42"), entered.CallKey);
    }
}
