using EdgeDigits.Hardware.Tm16xx;
using SkiaSharp;

namespace EdgeDigits.Device.Display;

/// <summary>Draws numbers as large 7-segment digits with plain rectangles: no font file is needed on the board, and the pixels are predictable for tests.</summary>
public static class SevenSegmentRenderer
{
    /// <summary>The segment bits (a = bit 0 ... g = bit 6) lit for a character: a digit's glyph from the one table (<see cref="SevenSegment"/>, the TM1637's); '?' and others light only g.</summary>
    public static byte SegmentsFor(char c) => SevenSegment.Encode(char.IsAsciiDigit(c) ? c : '-');

    /// <summary>The cell of digit <paramref name="index"/> of <paramref name="count"/> when centred in <paramref name="area"/>.</summary>
    public static SKRect Cell(int index, int count, SKRect area)
    {
        var h = area.Height * 0.8f;
        var w = Math.Min(h * 0.55f, area.Width / Math.Max(count, 1) * 0.8f);
        h = Math.Min(h, w / 0.55f);
        var gap = w * 0.25f;
        var total = count * w + (count - 1) * gap;
        var left = area.MidX - total / 2 + index * (w + gap);
        var top = area.MidY - h / 2;
        return new SKRect(left, top, left + w, top + h);
    }

    /// <summary>The rectangles of the seven segments a..g inside <paramref name="cell"/>.</summary>
    public static SKRect[] SegmentRects(SKRect cell)
    {
        var t = cell.Width * 0.18f;
        var (l, r, top, bottom, mid) = (cell.Left, cell.Right, cell.Top, cell.Bottom, cell.MidY);
        return
        [
            new(l + t, top, r - t, top + t),                 // a
            new(r - t, top + t, r, mid - t / 2),             // b
            new(r - t, mid + t / 2, r, bottom - t),          // c
            new(l + t, bottom - t, r - t, bottom),           // d
            new(l, mid + t / 2, l + t, bottom - t),          // e
            new(l, top + t, l + t, mid - t / 2),             // f
            new(l + t, mid - t / 2, r - t, mid + t / 2),     // g
        ];
    }

    /// <summary>The decimal point after <paramref name="cell"/>: a square as thick as a segment, on the baseline, in the gap before the next cell.</summary>
    public static SKRect PointRect(SKRect cell)
    {
        var t = cell.Width * 0.18f;
        var left = cell.Right + (cell.Width * 0.25f - t) / 2;
        return new SKRect(left, cell.Bottom - t, left + t, cell.Bottom);
    }

    /// <summary>
    /// Draws <paramref name="digits"/> centred in <paramref name="area"/>, one cell each (a decimal point takes no cell, it sits in the
    /// gap after its digit); uncertain digits are drawn in <paramref name="uncertainColor"/> and underlined.
    /// </summary>
    public static void Draw(SKCanvas canvas, IReadOnlyList<ShownDigit> digits, SKRect area, SKColor color, SKColor uncertainColor)
    {
        using var paint = new SKPaint { IsAntialias = false, Style = SKPaintStyle.Fill };
        for (var i = 0; i < digits.Count; i++)
        {
            var cell = Cell(i, digits.Count, area);
            var d = digits[i];
            paint.Color = d.Uncertain ? uncertainColor : color;
            var bits = SegmentsFor(d.Digit);
            var rects = SegmentRects(cell);
            for (var s = 0; s < 7; s++)
                if ((bits & (1 << s)) != 0) canvas.DrawRect(rects[s], paint);
            if (d.Uncertain) canvas.DrawRect(new SKRect(cell.Left, cell.Bottom + cell.Width * 0.15f, cell.Right, cell.Bottom + cell.Width * 0.25f), paint);
            if (d.PointAfter)
            {
                paint.Color = color;
                canvas.DrawRect(PointRect(cell), paint);
            }
        }
    }
}
