namespace EdgeDigits.Core.Imaging;

/// <summary>An axis-aligned rectangle in pixel coordinates (left, top, width, height).</summary>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    /// <summary>One past the right-most column.</summary>
    public int Right => X + Width;

    /// <summary>One past the bottom-most row.</summary>
    public int Bottom => Y + Height;

    /// <summary>Number of pixels covered.</summary>
    public int Area => Width * Height;

    /// <summary>True when the rectangle covers no pixel.</summary>
    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>The smallest rectangle holding both this one and <paramref name="other"/> (an empty side is ignored).</summary>
    public PixelRect Union(PixelRect other)
    {
        if (IsEmpty) return other;
        if (other.IsEmpty) return this;
        int x = Math.Min(X, other.X), y = Math.Min(Y, other.Y);
        return new PixelRect(x, y, Math.Max(Right, other.Right) - x, Math.Max(Bottom, other.Bottom) - y);
    }

    /// <summary>The overlap of this rectangle and <paramref name="other"/>, or an empty rectangle.</summary>
    public PixelRect Intersect(PixelRect other)
    {
        int x = Math.Max(X, other.X), y = Math.Max(Y, other.Y);
        int r = Math.Min(Right, other.Right), b = Math.Min(Bottom, other.Bottom);
        return r <= x || b <= y ? default : new PixelRect(x, y, r - x, b - y);
    }

    /// <summary>True when (<paramref name="x"/>, <paramref name="y"/>) lies inside.</summary>
    public bool Contains(int x, int y) => x >= X && y >= Y && x < Right && y < Bottom;

    /// <summary>Parses <c>x,y,w,h</c> (e.g. a <c>--roi</c> option); returns false with a reason on bad text.</summary>
    public static bool TryParse(string? text, out PixelRect rect, out string error)
    {
        rect = default;
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4)
        {
            error = $"'{text}' is not x,y,w,h (four integers separated by commas)";
            return false;
        }
        Span<int> v = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out v[i]))
            {
                error = $"'{parts[i]}' in '{text}' is not an integer";
                return false;
            }
        }
        if (v[0] < 0 || v[1] < 0 || v[2] <= 0 || v[3] <= 0)
        {
            error = $"'{text}': x and y must be >= 0 and w, h > 0";
            return false;
        }
        rect = new PixelRect(v[0], v[1], v[2], v[3]);
        error = "";
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{X},{Y},{Width},{Height}";
}
