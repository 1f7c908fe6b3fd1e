using Microsoft.Extensions.Logging.Abstractions;
using Wallboard.Hub.Durability;

namespace Wallboard.Tests.Durability;

/// <summary>Whatever the moment of a crash, loading gives a whole checkpoint: the last one saved or the one before.</summary>
public sealed class FileCheckpointStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Current => Path.Combine(_dir, "checkpoint.bin");

    [Fact]
    public async Task ACheckpointReadsBackWhole()
    {
        using var store = NewStore();
        var state = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 7 == 0 ? i : 0)).ToArray();
        await store.SaveAsync(Checkpoint(7, state), CancellationToken.None);

        var loaded = await store.LoadAsync(CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal((7L, 1_700_000_000_000L), (loaded.Sequence, loaded.SavedAtMs));
        Assert.Equal(state, loaded.CoreState.ToArray());
        Assert.Equal("tail1:10:1:10:" + new string('A', 64), loaded.Positions["queue_log:/var/log/asterisk/queue_log"]);
        Assert.Equal(new IdempotencyRecord("batch-7", "{\"accepted\":3}", 7, 1_700_000_000_000), Assert.Single(loaded.Keys));
        Assert.True(store.LastBytes < state.Length / 4, $"{store.LastBytes} bytes: a state of mostly zeros should compress");
    }

    [Fact]
    public async Task AWriteCutShortIsPassedOverForTheLastWholeOne()
    {
        using var store = NewStore();
        await store.SaveAsync(Checkpoint(1, [1, 2, 3]), CancellationToken.None);
        await store.SaveAsync(Checkpoint(2, [4, 5, 6]), CancellationToken.None);
        var third = await WrittenBytesAsync(Checkpoint(3, [7, 8, 9]));

        // Killed half-way through writing the third: its temporary file is torn.
        await File.WriteAllBytesAsync(Current + ".tmp", third[..(third.Length / 2)]);

        var loaded = await store.LoadAsync(CancellationToken.None);
        Assert.Equal((2L, "040506"), (loaded!.Sequence, Convert.ToHexString(loaded.CoreState.Span)));
    }

    [Fact]
    public async Task AWholeWriteNotYetRenamedIsTaken()
    {
        using var store = NewStore();
        await store.SaveAsync(Checkpoint(1, [1]), CancellationToken.None);

        // Killed after the flush, before the rename.
        await File.WriteAllBytesAsync(Current + ".tmp", await WrittenBytesAsync(Checkpoint(2, [2])));

        Assert.Equal(2, (await store.LoadAsync(CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task ADamagedCheckpointFallsBackToThePreviousOne()
    {
        using var store = NewStore();
        await store.SaveAsync(Checkpoint(1, [1, 1]), CancellationToken.None);
        await store.SaveAsync(Checkpoint(2, [2, 2]), CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(Current);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(Current, bytes);

        var loaded = await store.LoadAsync(CancellationToken.None);
        Assert.Equal((1L, "0101"), (loaded!.Sequence, Convert.ToHexString(loaded.CoreState.Span)));
        Assert.True(File.Exists(Path.Combine(_dir, "checkpoint.previous.bin")));
    }

    [Fact]
    public async Task NothingSavedLoadsAsNothing()
    {
        using var store = NewStore();
        Assert.Null(await store.LoadAsync(CancellationToken.None));
    }

    private FileCheckpointStore NewStore(string? path = null) =>
        new(path ?? Current, TimeProvider.System, TimeSpan.Zero, NullLogger<FileCheckpointStore>.Instance);

    private async Task<byte[]> WrittenBytesAsync(Checkpoint checkpoint)
    {
        var other = Path.Combine(_dir, "other", "checkpoint.bin");
        using var store = NewStore(other);
        await store.SaveAsync(checkpoint, CancellationToken.None);
        return await File.ReadAllBytesAsync(other);
    }

    private static Checkpoint Checkpoint(long sequence, byte[] state) => new(
        sequence,
        1_700_000_000_000,
        state,
        new Dictionary<string, string>(StringComparer.Ordinal) { ["queue_log:/var/log/asterisk/queue_log"] = "tail1:10:1:10:" + new string('A', 64) },
        [new IdempotencyRecord("batch-" + sequence, "{\"accepted\":3}", sequence, 1_700_000_000_000)]);
}
