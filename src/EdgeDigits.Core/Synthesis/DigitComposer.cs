using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Synthesis;

/// <summary>
/// Composes a photo-like multi-digit image from single 28x28 digit images (white on black, e.g.
/// MNIST): random size, spacing, slight rotation and baseline jitter, dark ink on paper with uneven
/// light and sensor noise, optionally inverted (light on dark). Deterministic for a given
/// <see cref="Random"/> seed; used by the accuracy tests and <c>edgedigits samples</c>.
/// </summary>
public static class DigitComposer
{
    /// <summary>Composes <paramref name="digits"/> (each 784 bytes) left to right into one gray image.</summary>
    /// <param name="digits">The digit images, in reading order.</param>
    /// <param name="rng">Source of all randomness.</param>
    /// <param name="invert">Light digits on a dark background instead of dark ink on paper.</param>
    /// <param name="boxes">Receives each digit's box in the image, when not null.</param>
    /// <param name="margin">Paper around the number, in digit heights (a form leaves room for its clutter).</param>
    public static GrayImage Compose(IReadOnlyList<byte[]> digits, Random rng, bool invert = false, List<PixelRect>? boxes = null, double margin = 0.5)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentNullException.ThrowIfNull(rng);
        if (digits.Count == 0) throw new ArgumentException("no digits to compose", nameof(digits));
        double height = 36 + rng.NextDouble() * 40;
        int n = digits.Count;
        var scales = new double[n];
        var angles = new double[n];
        var inkBoxes = new PixelRect[n];
        var gaps = new double[n];
        var widths = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            if (digits[i].Length != 784) throw new ArgumentException($"digit {i} has {digits[i].Length} bytes, expected 784");
            var box = DigitNormalizer.FindInk(digits[i], 28, 28, 28, 30);
            if (box.IsEmpty) box = new PixelRect(4, 4, 20, 20);
            inkBoxes[i] = box;
            scales[i] = height * (0.9 + rng.NextDouble() * 0.2) / box.Height;
            angles[i] = (rng.NextDouble() * 2 - 1) * 8 * Math.PI / 180;
            widths[i] = box.Width * scales[i];
            gaps[i] = i == 0 ? 0 : height * (0.15 + rng.NextDouble() * 0.45);
            total += widths[i] + gaps[i];
        }
        int pad = (int)(height * margin);
        int w = (int)Math.Ceiling(total) + 2 * pad + 8;
        int h = (int)Math.Ceiling(height * 1.3) + 2 * pad;
        var cover = new float[w * h];

        double x = pad;
        for (int i = 0; i < n; i++)
        {
            x += gaps[i];
            double cx = x + widths[i] / 2, cy = h / 2.0 + (rng.NextDouble() * 2 - 1) * 0.06 * height;
            var r = Stamp(digits[i], inkBoxes[i], scales[i], angles[i], cx, cy, cover, w, h);
            boxes?.Add(r);
            x += widths[i];
        }

        double paper = 195 + rng.NextDouble() * 45;
        double ink = 15 + rng.NextDouble() * 60;
        double gradient = rng.NextDouble() * 45, gdir = rng.NextDouble() * 2 * Math.PI;
        double noise = 2 + rng.NextDouble() * 7;
        var img = new GrayImage(w, h);
        for (int yy = 0; yy < h; yy++)
        {
            var row = img.Row(yy);
            for (int xx = 0; xx < w; xx++)
            {
                double light = paper - gradient * (0.5 + 0.5 * ((xx * Math.Cos(gdir) / w) + (yy * Math.Sin(gdir) / h)));
                double c = Math.Min(1, cover[yy * w + xx] / 255.0);
                double v = light - c * (light - ink) + Gaussian(rng) * noise;
                v = Math.Clamp(v, 0, 255);
                row[xx] = (byte)(invert ? 255 - v : v);
            }
        }
        return img;
    }

    /// <summary>A standard normal sample (Box-Muller).</summary>
    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static PixelRect Stamp(byte[] digit, PixelRect box, double scale, double angle, double cx, double cy, float[] cover, int w, int h)
    {
        double bw = box.Width * scale, bh = box.Height * scale;
        double radius = Math.Sqrt(bw * bw + bh * bh) / 2 + 2;
        double sc = Math.Cos(angle), ss = Math.Sin(angle);
        double srcCx = box.X + box.Width / 2.0, srcCy = box.Y + box.Height / 2.0;
        int x0 = (int)(cx - radius), x1 = (int)(cx + radius), y0 = (int)(cy - radius), y1 = (int)(cy + radius);
        int bx0 = int.MaxValue, by0 = int.MaxValue, bx1 = -1, by1 = -1;
        for (int y = Math.Max(0, y0); y <= Math.Min(h - 1, y1); y++)
            for (int x = Math.Max(0, x0); x <= Math.Min(w - 1, x1); x++)
            {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                // Inverse rotation, then inverse scale into the 28x28 source (pixel centres at +0.5).
                double sx = (sc * dx + ss * dy) / scale + srcCx - 0.5;
                double sy = (-ss * dx + sc * dy) / scale + srcCy - 0.5;
                if (sx < -1 || sy < -1 || sx > 28 || sy > 28) continue;
                double v = Bilinear(digit, sx, sy);
                if (v <= 0) continue;
                ref float c = ref cover[y * w + x];
                if (v > c) c = (float)v;
                if (v > 60)
                {
                    bx0 = Math.Min(bx0, x); bx1 = Math.Max(bx1, x); by0 = Math.Min(by0, y); by1 = Math.Max(by1, y);
                }
            }
        return bx1 < 0 ? default : new PixelRect(bx0, by0, bx1 - bx0 + 1, by1 - by0 + 1);
    }

    private static double Bilinear(byte[] d, double x, double y)
    {
        int ix = (int)Math.Floor(x), iy = (int)Math.Floor(y);
        double fx = x - ix, fy = y - iy;
        double P(int px, int py) => px < 0 || py < 0 || px >= 28 || py >= 28 ? 0 : d[py * 28 + px];
        return (P(ix, iy) * (1 - fx) + P(ix + 1, iy) * fx) * (1 - fy) + (P(ix, iy + 1) * (1 - fx) + P(ix + 1, iy + 1) * fx) * fy;
    }
}
