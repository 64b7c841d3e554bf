using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Synthetic;

/// <summary>What a composed form carries besides its number.</summary>
public enum ClutterKind
{
    /// <summary>Ruling lines across the page, one of them under (touching or crossing) the number.</summary>
    RulingLine,

    /// <summary>The borders of the table cell the number is written in, running across the whole form.</summary>
    TableBorder,

    /// <summary>A black band along one edge, where a scanner saw past the paper.</summary>
    ScannerStrip,

    /// <summary>A ring stamp, lighter than pen ink.</summary>
    Stamp,

    /// <summary>A check mark.</summary>
    Tick,

    /// <summary>A cross.</summary>
    Cross,

    /// <summary>A few dots.</summary>
    Dot,

    /// <summary>A short straight stroke, never near vertical (that is a 1); drawn only alone on a page (<see cref="ClutteredFormComposer.LoneMark(Random, LoneMarkKind)"/>).</summary>
    Stroke,
}

/// <summary>The mark alone on a page of <see cref="ClutteredFormComposer.LoneMark(Random, LoneMarkKind)"/>.</summary>
public enum LoneMarkKind
{
    /// <summary>A round stamp ring, with or without a bar and text-like specks inside.</summary>
    Ring,

    /// <summary>A ring with one to three gaps (a stamp pressed unevenly).</summary>
    BrokenRing,

    /// <summary>Two concentric rings.</summary>
    DoubleRing,

    /// <summary>A check mark.</summary>
    Tick,

    /// <summary>A cross.</summary>
    Cross,

    /// <summary>One dot.</summary>
    Dot,

    /// <summary>A short straight stroke within <see cref="ClutteredFormComposer.MaxStrokeAngle"/> of horizontal.</summary>
    Stroke,
}

/// <summary>One composed image: the picture, the number written in it and where its digits and clutter are.</summary>
/// <param name="Image">The gray image.</param>
/// <param name="Truth">The number written.</param>
/// <param name="DigitBoxes">Each digit's box, left to right.</param>
/// <param name="Clutter">Each piece of clutter and its box.</param>
public sealed record ComposedForm(GrayImage Image, string Truth, IReadOnlyList<PixelRect> DigitBoxes, IReadOnlyList<(ClutterKind Kind, PixelRect Box)> Clutter);

/// <summary>
/// Composes the frames of <c>edgedigits eval --forms</c> and the clutter crops of <c>data synth --style clutter</c>: a number of
/// 1-8 digits from a digit set (MNIST test digits, USPS val) written as <see cref="DigitComposer"/> writes it, and, on a
/// cluttered form, ruling lines, table borders, a scanner strip, a stamp, ticks, crosses and dots around it.
/// Deterministic for a given <see cref="Random"/>: without clutter the draws are those of the Core accuracy test's
/// composed images (same digits, same pictures for the same seed).
/// </summary>
public static class ClutteredFormComposer
{
    /// <summary>Longest number composed.</summary>
    public const int MaxDigits = 8;

    /// <summary>Chance that a number without clutter is light on dark (a form is always dark ink on paper).</summary>
    public const double InvertChance = 0.2;

    /// <summary>Paper around a lone mark, in digit heights of the page, ±20% (a number on a cluttered form has 1.6-2.4).</summary>
    public const double LoneMarkMargin = 2.0;

    /// <summary>Smallest ring radius, in digit heights of the page.</summary>
    public const double MinRingRadius = 0.35;

    /// <summary>Largest ring radius, in digit heights of the page.</summary>
    public const double MaxRingRadius = 1.3;

    /// <summary>Thinnest ring pen, pixels.</summary>
    public const double MinRingPen = 1.5;

    /// <summary>Thickest ring pen, pixels.</summary>
    public const double MaxRingPen = 7;

    /// <summary>Chance that a ring has text-like specks inside (a stamp's lettering).</summary>
    public const double RingTextChance = 0.5;

    /// <summary>Chance that a ring has a bar across (as the stamps of <see cref="ClutterKind.Stamp"/>).</summary>
    public const double RingBarChance = 0.3;

    /// <summary>A lone stroke lies within this many degrees of horizontal: a near-vertical stroke is a legitimate 1.</summary>
    public const double MaxStrokeAngle = 60;

    /// <summary>
    /// A page with no number and one mark of <paramref name="kind"/> near its middle (paper, light and noise as a composed
    /// number's); <see cref="ComposedForm.Truth"/> is empty and <see cref="ComposedForm.DigitBoxes"/> has no box, so every
    /// candidate the pipeline cuts from it is "not a digit".
    /// </summary>
    public static ComposedForm LoneMark(Random rng, LoneMarkKind kind)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind));
        double margin = LoneMarkMargin * (0.8 + rng.NextDouble() * 0.4);
        // A blank digit: the composer draws paper, light gradient and noise only; its size follows the digit height it drew.
        var image = DigitComposer.Compose([new byte[DigitSet.ImageSize]], rng, invert: false, boxes: null, margin);
        double h = image.Height / (1.3 + 2 * margin);
        var number = new PixelRect((int)(image.Width / 2 - h / 2), (int)(image.Height / 2 - h / 2), Math.Max(1, (int)h), Math.Max(1, (int)h));
        var marks = new List<(ClutterKind, PixelRect)>();
        new Form(image, [number], rng, marks).DrawLone(kind);
        return new ComposedForm(image, "", [], marks);
    }

    /// <summary>As <see cref="LoneMark(Random, LoneMarkKind)"/> with a kind drawn from <paramref name="rng"/>, rings (the three kinds) half the time.</summary>
    public static ComposedForm LoneMark(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var kind = rng.NextDouble() < 0.5 ? (LoneMarkKind)rng.Next(3) : (LoneMarkKind)(3 + rng.Next(4));
        return LoneMark(rng, kind);
    }

    /// <summary>Picks a number of 1-<see cref="MaxDigits"/> digits of <paramref name="digits"/> and composes it, on a cluttered form when <paramref name="clutter"/>.</summary>
    public static ComposedForm Next(DigitSet digits, Random rng, bool clutter)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentNullException.ThrowIfNull(rng);
        if (digits.Count == 0) throw new ArgumentException("the digit set is empty", nameof(digits));
        int len = 1 + rng.Next(MaxDigits);
        var images = new List<byte[]>(len);
        var truth = new char[len];
        for (int i = 0; i < len; i++)
        {
            int idx = rng.Next(digits.Count);
            string label = digits.ClassNames[digits.Labels[idx]];
            if (label.Length != 1 || !char.IsAsciiDigit(label[0])) { i--; continue; }
            images.Add(digits.Image(idx).ToArray());
            truth[i] = label[0];
        }
        return Compose(images, new string(truth), rng, clutter);
    }

    /// <summary>Composes <paramref name="images"/> (28x28 each) as the number <paramref name="truth"/>, on a cluttered form when <paramref name="clutter"/>.</summary>
    public static ComposedForm Compose(IReadOnlyList<byte[]> images, string truth, Random rng, bool clutter) => Compose(images, truth, rng, clutter, null);

    /// <summary>
    /// Composes <paramref name="images"/> as the number <paramref name="truth"/> on a form with exactly the clutter
    /// <paramref name="kinds"/> (a test's tick beside a number; blank 28x28 images give a page of clutter only).
    /// </summary>
    public static ComposedForm Compose(IReadOnlyList<byte[]> images, string truth, Random rng, IReadOnlyCollection<ClutterKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Contains(ClutterKind.Stroke)) throw new ArgumentException("a lone stroke is drawn only on a page of its own (LoneMark), not beside a number", nameof(kinds));
        return Compose(images, truth, rng, clutter: true, kinds);
    }

    private static ComposedForm Compose(IReadOnlyList<byte[]> images, string truth, Random rng, bool clutter, IReadOnlyCollection<ClutterKind>? kinds)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(rng);
        var boxes = new List<PixelRect>(images.Count);
        if (!clutter)
        {
            bool invert = rng.NextDouble() < InvertChance;
            return new ComposedForm(DigitComposer.Compose(images, rng, invert, boxes), truth, boxes, []);
        }
        var image = DigitComposer.Compose(images, rng, invert: false, boxes, margin: 1.6 + rng.NextDouble() * 0.8);
        var marks = new List<(ClutterKind, PixelRect)>();
        new Form(image, boxes, rng, marks).Draw(kinds);
        return new ComposedForm(image, truth, boxes, marks);
    }

    /// <summary>Draws the clutter of one form.</summary>
    private sealed class Form
    {
        private readonly GrayImage _img;
        private readonly Random _rng;
        private readonly List<(ClutterKind, PixelRect)> _marks;
        private readonly PixelRect _number;
        private readonly double _h;
        private readonly double _paper;
        private readonly double _stroke;

        public Form(GrayImage img, List<PixelRect> boxes, Random rng, List<(ClutterKind, PixelRect)> marks)
        {
            _img = img;
            _rng = rng;
            _marks = marks;
            var number = boxes.Count > 0 ? boxes[0] : new PixelRect(img.Width / 2, img.Height / 2, 1, 1);
            double sum = 0;
            foreach (var b in boxes) { number = number.Union(b); sum += b.Height; }
            _number = number;
            _h = boxes.Count > 0 ? sum / boxes.Count : 40;
            _paper = Median(img);
            _stroke = Math.Max(2, _h / 10);
        }

        /// <summary>The kinds a cluttered form draws on its own chance (a lone <see cref="ClutterKind.Stroke"/> is not one: the draws stay those of before it).</summary>
        private static readonly ClutterKind[] FormKinds = [ClutterKind.RulingLine, ClutterKind.TableBorder, ClutterKind.ScannerStrip, ClutterKind.Stamp, ClutterKind.Tick, ClutterKind.Cross, ClutterKind.Dot];

        /// <summary>Draws one mark of <paramref name="kind"/> at the middle of the (empty) number box, jittered by a fifth of its height.</summary>
        public void DrawLone(LoneMarkKind kind)
        {
            double cx = _number.X + _number.Width / 2.0 + (_rng.NextDouble() - 0.5) * 0.4 * _h;
            double cy = _number.Y + _number.Height / 2.0 + (_rng.NextDouble() - 0.5) * 0.4 * _h;
            switch (kind)
            {
                case LoneMarkKind.Ring:
                case LoneMarkKind.BrokenRing:
                case LoneMarkKind.DoubleRing:
                {
                    double r = (MinRingRadius + _rng.NextDouble() * (MaxRingRadius - MinRingRadius)) * _h;
                    double pen = MinRingPen + _rng.NextDouble() * (MaxRingPen - MinRingPen);
                    double level = Ink(50, 200);
                    int gaps = kind == LoneMarkKind.BrokenRing ? 1 + _rng.Next(3) : 0;
                    double second = r * (0.72 + _rng.NextDouble() * 0.13);
                    // Two rings stay two: the pen is at most 0.4 of the space between them.
                    if (kind == LoneMarkKind.DoubleRing) pen = Math.Max(1, Math.Min(pen, 0.4 * (r - second)));
                    Ring(cx, cy, r, pen, level, gaps);
                    if (kind == LoneMarkKind.DoubleRing) Ring(cx, cy, second, pen * (0.6 + _rng.NextDouble() * 0.4), level, 0);
                    double inner = kind == LoneMarkKind.DoubleRing ? 0.6 * r : 0.8 * r;
                    if (_rng.NextDouble() < RingBarChance) Segment(cx - 0.6 * inner, cy, cx + 0.6 * inner, cy, pen, level);
                    if (_rng.NextDouble() < RingTextChance) Lettering(cx, cy, inner, level);
                    double outer = r + pen;
                    _marks.Add((ClutterKind.Stamp, new PixelRect((int)(cx - outer), (int)(cy - outer), (int)(2 * outer) + 1, (int)(2 * outer) + 1)));
                    break;
                }
                case LoneMarkKind.Tick:
                case LoneMarkKind.Cross:
                {
                    double size = (0.3 + _rng.NextDouble() * 0.7) * _h;
                    double t = _stroke * (0.6 + _rng.NextDouble() * 0.9), level = Ink(100, 200);
                    TickOrCross(kind == LoneMarkKind.Tick ? ClutterKind.Tick : ClutterKind.Cross, cx, cy, size, t, level);
                    break;
                }
                case LoneMarkKind.Dot:
                {
                    double r = 1.5 + _rng.NextDouble() * Math.Max(1, 0.12 * _h);
                    Segment(cx, cy, cx, cy, 2 * r, Ink(100, 200));
                    _marks.Add((ClutterKind.Dot, new PixelRect((int)(cx - r), (int)(cy - r), (int)(2 * r) + 2, (int)(2 * r) + 2)));
                    break;
                }
                default:
                {
                    double len = (0.3 + _rng.NextDouble() * 0.9) * _h, a = (_rng.NextDouble() * 2 - 1) * MaxStrokeAngle * Math.PI / 180;
                    double dx = Math.Cos(a) * len / 2, dy = Math.Sin(a) * len / 2, t = _stroke * (0.6 + _rng.NextDouble() * 0.9);
                    Segment(cx - dx, cy - dy, cx + dx, cy + dy, t, Ink(100, 200));
                    _marks.Add((ClutterKind.Stroke, new PixelRect((int)(cx - Math.Abs(dx) - t), (int)(cy - Math.Abs(dy) - t), (int)(2 * (Math.Abs(dx) + t)) + 1, (int)(2 * (Math.Abs(dy) + t)) + 1)));
                    break;
                }
            }
        }

        /// <summary>A ring of 48 chords; <paramref name="gaps"/> arcs of 3-8 chords each are left out.</summary>
        private void Ring(double cx, double cy, double r, double pen, double level, int gaps)
        {
            const int Steps = 48;
            var skip = new bool[Steps];
            for (int g = 0; g < gaps; g++)
            {
                int start = _rng.Next(Steps), len = 3 + _rng.Next(6);
                for (int k = 0; k < len; k++) skip[(start + k) % Steps] = true;
            }
            for (int k = 0; k < Steps; k++)
            {
                if (skip[k]) continue;
                double a0 = 2 * Math.PI * k / Steps, a1 = 2 * Math.PI * (k + 1) / Steps;
                Segment(cx + r * Math.Cos(a0), cy + r * Math.Sin(a0), cx + r * Math.Cos(a1), cy + r * Math.Sin(a1), pen, level);
            }
        }

        /// <summary>One or two rows of short strokes and dots inside a ring of inner radius <paramref name="inner"/>, as a stamp's lettering.</summary>
        private void Lettering(double cx, double cy, double inner, double level)
        {
            int rows = 1 + _rng.Next(2);
            double size = inner * (0.18 + _rng.NextDouble() * 0.12), pen = Math.Max(1, size / 4);
            for (int row = 0; row < rows; row++)
            {
                double y = cy + (rows == 1 ? 0 : (row == 0 ? -0.35 : 0.35) * inner);
                int letters = 2 + _rng.Next(4);
                double x0 = cx - letters * size * 0.7;
                for (int l = 0; l < letters; l++)
                {
                    double x = x0 + l * size * 1.4 + size * 0.2;
                    if (_rng.NextDouble() < 0.3) Segment(x, y, x, y, pen * 1.5, level);
                    else Segment(x, y - size / 2, x + (_rng.NextDouble() - 0.5) * size, y + size / 2, pen, level);
                }
            }
        }

        public void Draw(IReadOnlyCollection<ClutterKind>? only)
        {
            // Each kind on its own chance; at least two kinds on every form.
            var kinds = FormKinds;
            double[] chance = [0.7, 0.5, 0.35, 0.3, 0.5, 0.5, 0.6];
            var chosen = new List<ClutterKind>();
            if (only is not null) chosen.AddRange(only.Distinct());
            else
            {
                for (int k = 0; k < kinds.Length; k++) if (_rng.NextDouble() < chance[k]) chosen.Add(kinds[k]);
                while (chosen.Count < 2)
                {
                    var k = kinds[_rng.Next(kinds.Length)];
                    if (!chosen.Contains(k)) chosen.Add(k);
                }
            }
            chosen.Sort();
            foreach (var kind in chosen)
            {
                switch (kind)
                {
                    case ClutterKind.RulingLine: RulingLines(); break;
                    case ClutterKind.TableBorder: TableBorder(); break;
                    case ClutterKind.ScannerStrip: ScannerStrip(); break;
                    case ClutterKind.Stamp: Stamp(); break;
                    case ClutterKind.Tick: Marks(ClutterKind.Tick, 1 + _rng.Next(2)); break;
                    case ClutterKind.Cross: Marks(ClutterKind.Cross, 1 + _rng.Next(2)); break;
                    case ClutterKind.Dot: Dots(); break;
                }
            }
        }

        private double Ink(double depthMin, double depthMax) => Math.Max(0, _paper - (depthMin + _rng.NextDouble() * (depthMax - depthMin)));

        private void RulingLines()
        {
            double spacing = _h * (1.3 + _rng.NextDouble() * 0.5);
            double baseline = _number.Bottom + (_rng.NextDouble() * 0.2 - 0.08) * _h;
            double thickness = 1 + _rng.NextDouble() * 2;
            double level = Ink(70, 150);
            double tilt = (_rng.NextDouble() * 2 - 1) * 0.3 * Math.PI / 180;
            for (double y = baseline - Math.Floor(baseline / spacing) * spacing; y < _img.Height; y += spacing)
            {
                double dy = Math.Tan(tilt) * _img.Width;
                Segment(0, y, _img.Width - 1, y + dy, thickness, level);
                _marks.Add((ClutterKind.RulingLine, new PixelRect(0, (int)Math.Min(y, y + dy) - 2, _img.Width, (int)Math.Abs(dy) + 5)));
            }
        }

        private void TableBorder()
        {
            double thickness = 1 + _rng.NextDouble() * 3;
            double level = Ink(90, 170);
            double left = _number.X - (0.3 + _rng.NextDouble() * 0.5) * _h, right = _number.Right + (0.3 + _rng.NextDouble() * 0.5) * _h;
            double top = _number.Y - (0.25 + _rng.NextDouble() * 0.3) * _h, bottom = _number.Bottom + (0.25 + _rng.NextDouble() * 0.3) * _h;
            foreach (var x in new[] { left, right })
            {
                Segment(x, 0, x, _img.Height - 1, thickness, level);
                _marks.Add((ClutterKind.TableBorder, new PixelRect((int)(x - thickness), 0, (int)(2 * thickness) + 2, _img.Height)));
            }
            foreach (var y in new[] { top, bottom })
            {
                Segment(0, y, _img.Width - 1, y, thickness, level);
                _marks.Add((ClutterKind.TableBorder, new PixelRect(0, (int)(y - thickness), _img.Width, (int)(2 * thickness) + 2)));
            }
        }

        private void ScannerStrip()
        {
            int side = _rng.Next(4);
            bool vertical = side < 2;
            int extent = vertical ? _img.Width : _img.Height;
            int room = vertical ? Math.Min(_number.X, _img.Width - _number.Right) : Math.Min(_number.Y, _img.Height - _number.Bottom);
            int thick = Math.Min(room / 2, Math.Max(6, (int)(extent * (0.03 + _rng.NextDouble() * 0.05))));
            if (thick < 3) return;
            double level = 5 + _rng.NextDouble() * 25;
            var box = side switch
            {
                0 => new PixelRect(0, 0, thick, _img.Height),
                1 => new PixelRect(_img.Width - thick, 0, thick, _img.Height),
                2 => new PixelRect(0, 0, _img.Width, thick),
                _ => new PixelRect(0, _img.Height - thick, _img.Width, thick),
            };
            for (int y = box.Y; y < box.Bottom; y++)
            {
                var row = _img.Row(y);
                for (int x = box.X; x < box.Right; x++) row[x] = (byte)Math.Clamp(level + DigitComposer.Gaussian(_rng) * 4, 0, 255);
            }
            _marks.Add((ClutterKind.ScannerStrip, box));
        }

        private void Stamp()
        {
            double r = (0.7 + _rng.NextDouble() * 0.5) * _h;
            if (!FreeSpot(2 * r, 2 * r, 0.3 * _h, out var cx, out var cy)) return;
            double level = Ink(50, 90);
            double thickness = 2 + _rng.NextDouble() * 2;
            Ring(cx, cy, r, thickness, level, gaps: 0);
            Segment(cx - 0.6 * r, cy, cx + 0.6 * r, cy, thickness, level);
            _marks.Add((ClutterKind.Stamp, new PixelRect((int)(cx - r - thickness), (int)(cy - r - thickness), (int)(2 * (r + thickness)) + 1, (int)(2 * (r + thickness)) + 1)));
        }

        private void Marks(ClutterKind kind, int count)
        {
            for (int m = 0; m < count; m++)
            {
                double size = (0.4 + _rng.NextDouble() * 0.5) * _h;
                if (!FreeSpot(size, size, 0.6 * _h, out var cx, out var cy)) return;
                double level = Ink(100, 180);
                double t = _stroke * (0.7 + _rng.NextDouble() * 0.6);
                TickOrCross(kind, cx, cy, size, t, level);
            }
        }

        /// <summary>Draws a tick or a cross of <paramref name="size"/> centred on (cx, cy) with pen <paramref name="t"/>, and records it.</summary>
        private void TickOrCross(ClutterKind kind, double cx, double cy, double size, double t, double level)
        {
            double s = size / 2;
            if (kind == ClutterKind.Tick)
            {
                Segment(cx - s, cy, cx - s * 0.3, cy + s, t, level);
                Segment(cx - s * 0.3, cy + s, cx + s, cy - s, t, level);
            }
            else
            {
                Segment(cx - s, cy - s, cx + s, cy + s, t, level);
                Segment(cx - s, cy + s, cx + s, cy - s, t, level);
            }
            _marks.Add((kind, new PixelRect((int)(cx - s - t), (int)(cy - s - t), (int)(size + 2 * t) + 1, (int)(size + 2 * t) + 1)));
        }

        private void Dots()
        {
            int count = 3 + _rng.Next(8);
            for (int m = 0; m < count; m++)
            {
                double r = 1 + _rng.NextDouble() * Math.Max(1, _stroke * 0.6);
                if (!FreeSpot(2 * r, 2 * r, 0.3 * _h, out var cx, out var cy)) continue;
                Segment(cx, cy, cx, cy, 2 * r, Ink(100, 180));
                _marks.Add((ClutterKind.Dot, new PixelRect((int)(cx - r), (int)(cy - r), (int)(2 * r) + 2, (int)(2 * r) + 2)));
            }
        }

        /// <summary>A centre for a w x h mark inside the form that keeps <paramref name="gap"/> away from the number.</summary>
        private bool FreeSpot(double w, double h, double gap, out double cx, out double cy)
        {
            for (int attempt = 0; attempt < 30; attempt++)
            {
                cx = w / 2 + 2 + _rng.NextDouble() * (_img.Width - w - 4);
                cy = h / 2 + 2 + _rng.NextDouble() * (_img.Height - h - 4);
                bool clearX = cx + w / 2 + gap < _number.X || cx - w / 2 - gap > _number.Right;
                bool clearY = cy + h / 2 + gap < _number.Y || cy - h / 2 - gap > _number.Bottom;
                if (clearX || clearY) return true;
            }
            cx = cy = 0;
            return false;
        }

        /// <summary>Darkens a thick anti-aliased segment towards <paramref name="level"/>.</summary>
        private void Segment(double x0, double y0, double x1, double y1, double thickness, double level)
        {
            double half = thickness / 2;
            int bx0 = Math.Max(0, (int)Math.Floor(Math.Min(x0, x1) - half - 1)), bx1 = Math.Min(_img.Width - 1, (int)Math.Ceiling(Math.Max(x0, x1) + half + 1));
            int by0 = Math.Max(0, (int)Math.Floor(Math.Min(y0, y1) - half - 1)), by1 = Math.Min(_img.Height - 1, (int)Math.Ceiling(Math.Max(y0, y1) + half + 1));
            double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
            for (int y = by0; y <= by1; y++)
            {
                var row = _img.Row(y);
                for (int x = bx0; x <= bx1; x++)
                {
                    double px = x + 0.5 - x0, py = y + 0.5 - y0;
                    double t = len2 == 0 ? 0 : Math.Clamp((px * dx + py * dy) / len2, 0, 1);
                    double ex = px - t * dx, ey = py - t * dy;
                    double cover = Math.Clamp(half + 0.5 - Math.Sqrt(ex * ex + ey * ey), 0, 1);
                    if (cover <= 0) continue;
                    double v = row[x];
                    if (v > level) row[x] = (byte)Math.Round(v - (v - level) * cover);
                }
            }
        }

        private static double Median(GrayImage img)
        {
            Span<int> hist = stackalloc int[256];
            for (int y = 0; y < img.Height; y++) foreach (var v in img.Row(y)) hist[v]++;
            int half = img.Width * img.Height / 2, seen = 0;
            for (int v = 0; v < 256; v++) if ((seen += hist[v]) >= half) return v;
            return 255;
        }
    }
}
