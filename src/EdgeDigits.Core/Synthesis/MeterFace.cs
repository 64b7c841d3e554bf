using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Meters.Alignment;

namespace EdgeDigits.Core.Synthesis;

/// <summary>
/// Composes a meter's face as a 640x480 camera frame from real digit windows (20x32 crops, as AI-on-the-edge-device cuts them),
/// shown twice their size in a dark counter plate on a light face with two printed reference marks (a ring with a cross) at
/// opposite corners and a few printed labels; and moves such a frame as a camera knocked on its bracket would (shift, rotation,
/// light, sensor noise). Used by the alignment tests and to write <c>samples/meter-frames</c>.
/// </summary>
public static class MeterFace
{
    /// <summary>Frame width (the device camera's default).</summary>
    public const int Width = 640;

    /// <summary>Frame height.</summary>
    public const int Height = 480;

    /// <summary>Each window image is shown this many times its size.</summary>
    public const int WindowScale = 2;

    /// <summary>Gap between two windows on the counter plate, in pixels.</summary>
    public const int WindowGap = 8;

    /// <summary>Top of the windows.</summary>
    public const int WindowTop = 200;

    /// <summary>Side of a reference mark's box.</summary>
    public const int MarkSide = 32;

    /// <summary>Grey level of the face.</summary>
    public const byte FaceGrey = 205;

    private const byte PlateGrey = 38, InkGrey = 30;

    /// <summary>The boxes of the two reference marks (top left and bottom right of the face).</summary>
    public static IReadOnlyList<PixelRect> Marks { get; } = [new(56, 60, MarkSide, MarkSide), new(Width - 56 - MarkSide, Height - 60 - MarkSide, MarkSide, MarkSide)];

    /// <summary>
    /// The face with <paramref name="windows"/> side by side (most significant first), and its layout: the windows' boxes,
    /// the marks, alignment by marks. All windows must share one size.
    /// </summary>
    /// <exception cref="ArgumentException">No windows, windows of different sizes, or too many to fit the face.</exception>
    public static (GrayImage Frame, MeterLayout Layout) Compose(IReadOnlyList<GrayImage> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0) throw new ArgumentException("no windows to put on the face", nameof(windows));
        int ww = windows[0].Width * WindowScale, wh = windows[0].Height * WindowScale;
        if (windows.Any(w => w.Width * WindowScale != ww || w.Height * WindowScale != wh)) throw new ArgumentException("the windows differ in size", nameof(windows));
        int rowWidth = windows.Count * ww + (windows.Count - 1) * WindowGap;
        int left = (Width - rowWidth) / 2;
        if (left < 2 * MarkSide || WindowTop + wh + 40 > Height - 2 * MarkSide) throw new ArgumentException($"{windows.Count} windows of {ww}x{wh} do not fit the {Width}x{Height} face", nameof(windows));

        var frame = new GrayImage(Width, Height);
        for (int y = 0; y < Height; y++)
        {
            var row = frame.Row(y);
            for (int x = 0; x < Width; x++) row[x] = (byte)(FaceGrey + 20 - 30.0 * (x + y) / (Width + Height));
        }
        Fill(frame, new PixelRect(left - 18, WindowTop - 16, rowWidth + 36, wh + 32), PlateGrey);
        var boxes = new PixelRect[windows.Count];
        var upscale = new FrameTransform(1.0 / WindowScale, 0, 0.5 / WindowScale - 0.5, 0.5 / WindowScale - 0.5);
        var scaled = new GrayImage(ww, wh);
        for (int i = 0; i < windows.Count; i++)
        {
            boxes[i] = new PixelRect(left + i * (ww + WindowGap), WindowTop, ww, wh);
            upscale.Warp(windows[i], new PixelRect(0, 0, ww, wh), scaled);
            for (int y = 0; y < wh; y++) scaled.Row(y).CopyTo(frame.Row(boxes[i].Y + y).Slice(boxes[i].X, ww));
        }
        foreach (var m in Marks) DrawMark(frame, m);
        // Printed labels: a maker's name bar and a unit plate, the texture a marker-free alignment registers on.
        Fill(frame, new PixelRect(left, WindowTop - 70, 150, 22), InkGrey);
        Fill(frame, new PixelRect(left + 4, WindowTop - 66, 142, 14), FaceGrey);
        for (int k = 0; k < 6; k++) Fill(frame, new PixelRect(left + 10 + 22 * k, WindowTop - 63, 14, 8), InkGrey);
        Fill(frame, new PixelRect(left + rowWidth - 60, WindowTop + wh + 40, 60, 30), InkGrey);
        Fill(frame, new PixelRect(left + rowWidth - 52, WindowTop + wh + 48, 20, 14), FaceGrey);
        var layout = new MeterLayout { Windows = boxes, Mode = AlignmentMode.Marks, Marks = Marks };
        return (frame, layout);
    }

    /// <summary>
    /// <paramref name="face"/> as the camera sees it after moving by <paramref name="transform"/> (reference to frame), with
    /// the light changed by <paramref name="gain"/> and Gaussian sensor noise of <paramref name="noise"/> grey levels (fixed seed).
    /// </summary>
    public static GrayImage Move(GrayImage face, FrameTransform transform, double gain = 1, double noise = 0, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(face);
        var moved = new GrayImage(face.Width, face.Height);
        transform.Inverse().Warp(face, face.Bounds, moved, fill: FaceGrey);
        if (gain == 1 && noise == 0) return moved;
        var rng = new Random(seed);
        for (int y = 0; y < moved.Height; y++)
        {
            var row = moved.Row(y);
            for (int x = 0; x < row.Length; x++) row[x] = (byte)Math.Clamp(row[x] * gain + DigitComposer.Gaussian(rng) * noise + 0.5, 0, 255);
        }
        return moved;
    }

    /// <summary>The readings of the sample frames (<c>samples/meter-frames/frame-N.jpg</c>), most significant wheel first.</summary>
    public static IReadOnlyList<string> SampleValues { get; } = ["00371458", "00371462", "00371469", "00371475"];

    /// <summary>How the camera had moved for each sample frame (shift x, y in px, degrees about the frame centre); frame 0 is the reference.</summary>
    public static IReadOnlyList<(double Dx, double Dy, double Degrees)> SampleMoves { get; } = [(0, 0, 0), (6, -4, 1.5), (-9, 5, -2), (12, 8, 2.5)];

    /// <summary>
    /// Writes <c>meter-frames/</c> into <paramref name="outDir"/>: one frame per <see cref="SampleValues"/> entry (JPEG, as a camera
    /// delivers them), made of real clean windows of one meter (the <c>main_dig</c> series of the meterdigits set in
    /// <paramref name="meterDigitsDir"/>) and moved by <see cref="SampleMoves"/>, and <c>meter.json</c>, the layout (windows, marks,
    /// frame 0 as the reference). Fixed choices, so re-running reproduces the files. Returns the files written.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The meterdigits folder or one of its digit folders is missing.</exception>
    /// <exception cref="InvalidDataException">A digit folder has no window of that meter.</exception>
    public static IReadOnlyList<string> WriteSamples(string meterDigitsDir, string outDir)
    {
        if (!Directory.Exists(meterDigitsDir)) throw new DirectoryNotFoundException($"{meterDigitsDir}: no meterdigits folder (edgedigits data fetch meterdigits)");
        var dir = Path.Combine(outDir, "meter-frames");
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        MeterLayout? layout = null;
        for (int f = 0; f < SampleValues.Count; f++)
        {
            // Wheel i showing digit d is always the same photo of that wheel, as on a real meter between two readings.
            var windows = SampleValues[f].Select((c, wheel) => Window(meterDigitsDir, c - '0', wheel)).ToList();
            var (face, l) = Compose(windows);
            layout ??= l with { Reference = "frame-0.jpg" };
            var (dx, dy, degrees) = SampleMoves[f];
            var moved = f == 0 ? face : Move(face, FrameTransform.FromShiftRotation(dx, dy, degrees, 1, (Width - 1) / 2.0, (Height - 1) / 2.0), gain: 1 - 0.04 * f, noise: 2, seed: f);
            var path = Path.Combine(dir, $"frame-{f}.jpg");
            File.WriteAllBytes(path, GrayImageCodec.EncodeJpeg(moved, 90));
            written.Add(path);
        }
        var json = Path.Combine(dir, "meter.json");
        File.WriteAllText(json, layout!.ToJson() + "\n");
        written.Add(json);
        return written;
    }

    private static GrayImage Window(string meterDigitsDir, int digit, int wheel)
    {
        var folder = Path.Combine(meterDigitsDir, $"{digit}.0");
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: missing (is {meterDigitsDir} the meterdigits set?)");
        var files = Directory.GetFiles(folder, "*_main_dig*.jpg").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new InvalidDataException($"{folder}: no window of the main_dig meter");
        return GrayImageCodec.Decode(files[wheel * 3 % files.Length]);
    }

    /// <summary>A printed reference mark: a dark ring with a cross, centred in <paramref name="box"/>.</summary>
    private static void DrawMark(GrayImage frame, PixelRect box)
    {
        double cx = box.X + (box.Width - 1) / 2.0, cy = box.Y + (box.Height - 1) / 2.0, outer = box.Width * 0.42, inner = box.Width * 0.28;
        for (int y = box.Y; y < box.Bottom; y++)
            for (int x = box.X; x < box.Right; x++)
            {
                double d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                bool ring = d <= outer && d >= inner;
                bool cross = d < inner && (Math.Abs(x - cx) < 2 || Math.Abs(y - cy) < 2);
                // The cross's arms are uneven so that the mark is not the same turned by 90°.
                bool tail = x > cx && Math.Abs(y - cy) < 4 && d < inner;
                if (ring || cross || tail) frame[x, y] = InkGrey;
            }
    }

    private static void Fill(GrayImage frame, PixelRect r, byte value)
    {
        for (int y = r.Y; y < r.Bottom; y++) frame.Row(y).Slice(r.X, r.Width).Fill(value);
    }
}
