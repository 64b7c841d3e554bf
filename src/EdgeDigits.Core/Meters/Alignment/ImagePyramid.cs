using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Meters.Alignment;

/// <summary>
/// A grey image and its 2x2-averaged halvings, for coarse-to-fine search. Level 0 is the image itself (not copied);
/// the smaller levels are kept and refilled by <see cref="Build"/>, so a pyramid reused across frames allocates nothing.
/// </summary>
internal sealed class ImagePyramid
{
    private readonly byte[][] _levels;
    private byte[] _level0 = [];
    private int _stride0;

    /// <summary>A pyramid of <paramref name="levels"/> levels (1 = the image alone) for <paramref name="width"/> x <paramref name="height"/> images.</summary>
    public ImagePyramid(int width, int height, int levels)
    {
        Width = width;
        Height = height;
        _levels = new byte[levels][];
        for (int l = 1; l < levels; l++) _levels[l] = new byte[LevelWidth(l) * LevelHeight(l)];
    }

    /// <summary>Width of level 0.</summary>
    public int Width { get; }

    /// <summary>Height of level 0.</summary>
    public int Height { get; }

    /// <summary>Number of levels.</summary>
    public int Levels => _levels.Length;

    /// <summary>Width of level <paramref name="level"/> (halved and floored per level).</summary>
    public int LevelWidth(int level) => Width >> level;

    /// <summary>Height of level <paramref name="level"/>.</summary>
    public int LevelHeight(int level) => Height >> level;

    /// <summary>Row stride of level <paramref name="level"/>.</summary>
    public int Stride(int level) => level == 0 ? _stride0 : LevelWidth(level);

    /// <summary>Pixels of level <paramref name="level"/>.</summary>
    public ReadOnlySpan<byte> Pixels(int level) => level == 0 ? _level0 : _levels[level];

    /// <summary>Takes <paramref name="image"/> as level 0 and refills the smaller levels from it.</summary>
    public void Build(GrayImage image)
    {
        if (image.Width != Width || image.Height != Height) throw new ArgumentException($"image is {image.Width}x{image.Height}, the pyramid {Width}x{Height}", nameof(image));
        _level0 = image.Buffer;
        _stride0 = image.Stride;
        for (int l = 1; l < Levels; l++)
        {
            var src = Pixels(l - 1);
            int ss = Stride(l - 1), w = LevelWidth(l), h = LevelHeight(l);
            var dst = _levels[l];
            for (int y = 0; y < h; y++)
            {
                int a = 2 * y * ss, b = a + ss, o = y * w;
                for (int x = 0; x < w; x++, a += 2, b += 2)
                    dst[o + x] = (byte)((src[a] + src[a + 1] + src[b] + src[b + 1] + 2) >> 2);
            }
        }
    }

    /// <summary>Bilinear sample of level <paramref name="level"/> at (<paramref name="x"/>, <paramref name="y"/>); false when the point is off the level.</summary>
    public bool TrySample(int level, double x, double y, out float value)
    {
        int w = LevelWidth(level), h = LevelHeight(level);
        if (!(x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1))
        {
            value = 0;
            return false;
        }
        var p = Pixels(level);
        int s = Stride(level);
        int x0 = Math.Min((int)x, w - 2), y0 = Math.Min((int)y, h - 2);
        if (x0 < 0) x0 = 0;
        if (y0 < 0) y0 = 0;
        float fx = (float)(x - x0), fy = (float)(y - y0);
        int i = y0 * s + x0;
        float top = p[i] + (p[i + 1] - p[i]) * fx;
        float bot = p[i + s] + (p[i + s + 1] - p[i + s]) * fx;
        value = top + (bot - top) * fy;
        return true;
    }
}
