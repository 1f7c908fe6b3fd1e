using SkiaSharp;

namespace Wallboard.Reports.Layout;

/// <summary>
/// A piece of page content that is placed top to bottom. The paginator offers a block the room
/// left on the page; the block takes what fits and hands back the rest for the next page.
/// </summary>
internal abstract class Block
{
    /// <summary>Space kept below the block (dropped at the foot of a page).</summary>
    public float SpaceAfter { get; init; }

    /// <summary>
    /// Lays out as much of the block as fits in <paramref name="available"/> points of height.
    /// On an empty page (<paramref name="atPageTop"/>) a block must place something, even if it
    /// overflows, so that pagination always ends.
    /// </summary>
    public abstract BlockSlice Slice(float width, float available, bool atPageTop);
}

/// <summary>What a block placed on one page, and what is left of it.</summary>
/// <param name="Height">Height used on this page.</param>
/// <param name="Draw">Draws the placed part with its top-left corner at the given point; null when nothing fits.</param>
/// <param name="Rest">The remainder for the next page, or null when the block is done.</param>
internal readonly record struct BlockSlice(float Height, Action<SKCanvas, SKPoint>? Draw, Block? Rest)
{
    /// <summary>Nothing fits here: move <paramref name="block"/> to the next page.</summary>
    public static BlockSlice Deferred(Block block) => new(0, null, block);
}

/// <summary>A block drawn as one piece, never split: a chart, a row of key figures.</summary>
internal sealed class FixedBlock(float height, Action<SKCanvas, SKRect> draw) : Block
{
    public float Height { get; } = height;

    public override BlockSlice Slice(float width, float available, bool atPageTop) =>
        Height <= available || atPageTop
            ? new BlockSlice(Height, (canvas, at) => draw(canvas, SKRect.Create(at.X, at.Y, width, Height)), null)
            : BlockSlice.Deferred(this);
}
