using System.Globalization;
using System.Text;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Core.Synthesis;

namespace EdgeDigits.Training.Data.Meters;

/// <summary>
/// Writes a replayed meter sequence for <c>EdgeDigits.Device bench --meter-sequence</c>: frames of one meter counting up, each
/// made of real windows of one meter family of the meterdigits set (a wheel caught between two digits is a real window of
/// that roll position), on the sample face (<see cref="MeterFace"/>) with the camera jittering between frames, and the
/// true value of every frame. Fixed seed, so the sequence is reproducible; a family held out of a model's training gives
/// figures for meters that model has not seen.
/// </summary>
public static class MeterSequenceWriter
{
    /// <summary>Counter wheels on the face.</summary>
    public const int Wheels = 8;

    /// <summary>The first value shown, in tenths of the lowest wheel (0037145.8).</summary>
    public const long StartTenths = 371458_0;

    /// <summary>Largest advance between two frames, in tenths of the lowest wheel: a reading every minute of a busy water meter.</summary>
    public const int MaxStepTenths = 7;

    /// <summary>Largest camera shift between frames, px either way (vibration, a knocked bracket).</summary>
    public const double MaxShiftPx = 5;

    /// <summary>Largest camera rotation between frames, degrees either way.</summary>
    public const double MaxRotationDegrees = 1.5;

    /// <summary>Largest camera shift between two frames of one burst (captured back to back), px either way: vibration only.</summary>
    public const double BurstShiftPx = 1;

    /// <summary>Largest camera rotation between two frames of one burst, degrees either way.</summary>
    public const double BurstRotationDegrees = 0.2;

    /// <summary>
    /// Writes <paramref name="frames"/> frames (<c>frame-0000.jpg</c> …), <c>reference.jpg</c> (the face unmoved),
    /// <c>meter.json</c> (the layout: windows, marks, alignment by marks) and <c>truth.csv</c> (<c>file,value,position</c>: the integer
    /// the counter shows, and where it is to a tenth of the lowest wheel) into <paramref name="outDir"/>. Returns the files written.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The meterdigits folder is missing.</exception>
    /// <exception cref="InvalidDataException">The family has no window of some digit, or its windows differ in size.</exception>
    /// <remarks>
    /// With <paramref name="burst"/> above 1 every reading also gets <c>frame-0000-1.jpg</c> … (burst − 1 more captures of the
    /// same meter state, back to back: the camera moved by vibration only, other light and sensor noise), which
    /// <c>bench --meter-sequence --burst N</c> reads as the burst. Their camera moves come from a generator of their own, so
    /// the frames, steps and truth of a seed are the same with or without a burst.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 1 or more than 100000 frames, or a burst outside 1 … 10.</exception>
    public static IReadOnlyList<string> Write(string meterDigitsDir, string outDir, int frames, string family, int seed = 1, int burst = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frames, 100_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(burst, 10);
        var byClass = FamilyWindows(meterDigitsDir, family);
        Directory.CreateDirectory(outDir);
        var rng = new Random(seed);
        var cache = new Dictionary<string, GrayImage>();
        GrayImage Load(string f) => cache.TryGetValue(f, out var g) ? g : cache[f] = GrayImageCodec.Decode(f);
        var written = new List<string>();
        var truth = new StringBuilder("file,value,position\n");
        var tenths = StartTenths;
        for (int i = 0; i < frames; i++)
        {
            if (i > 0) tenths += rng.Next(0, MaxStepTenths + 1);
            var windows = Positions(tenths).Select(p => Load(Pick(byClass, p, rng, family))).ToList();
            var (face, layout) = MeterFace.Compose(windows);
            if (i == 0)
            {
                var reference = Path.Combine(outDir, "reference.jpg");
                File.WriteAllBytes(reference, GrayImageCodec.EncodeJpeg(face, 90));
                var json = Path.Combine(outDir, "meter.json");
                File.WriteAllText(json, (layout with { Reference = "reference.jpg" }).ToJson() + "\n");
                written.Add(reference);
                written.Add(json);
            }
            double dx = Uniform(rng, MaxShiftPx), dy = Uniform(rng, MaxShiftPx), degrees = Uniform(rng, MaxRotationDegrees);
            var move = FrameTransform.FromShiftRotation(dx, dy, degrees, 1, (MeterFace.Width - 1) / 2.0, (MeterFace.Height - 1) / 2.0);
            var frame = MeterFace.Move(face, move, gain: 0.85 + 0.2 * rng.NextDouble(), noise: 2, seed: seed * 100_003 + i);
            var name = $"frame-{i:0000}.jpg";
            File.WriteAllBytes(Path.Combine(outDir, name), GrayImageCodec.EncodeJpeg(frame, 85));
            written.Add(Path.Combine(outDir, name));
            var shake = new Random(seed * 7919 + i);
            for (int b = 1; b < burst; b++)
            {
                var again = FrameTransform.FromShiftRotation(dx + Uniform(shake, BurstShiftPx), dy + Uniform(shake, BurstShiftPx),
                    degrees + Uniform(shake, BurstRotationDegrees), 1, (MeterFace.Width - 1) / 2.0, (MeterFace.Height - 1) / 2.0);
                var burstFrame = MeterFace.Move(face, again, gain: 0.85 + 0.2 * shake.NextDouble(), noise: 2, seed: seed * 100_003 + i + b * 1_000_003);
                var burstName = Path.Combine(outDir, MeterSequenceFiles.BurstFrameName(name, b));
                File.WriteAllBytes(burstName, GrayImageCodec.EncodeJpeg(burstFrame, 85));
                written.Add(burstName);
            }
            truth.Append(CultureInfo.InvariantCulture, $"{name},{(tenths / 10).ToString(new string('0', Wheels), CultureInfo.InvariantCulture)},{tenths / 10}.{tenths % 10}\n");
        }
        var truthPath = Path.Combine(outDir, "truth.csv");
        File.WriteAllText(truthPath, truth.ToString());
        written.Add(truthPath);
        return written;
    }

    /// <summary>
    /// The position of every wheel, most significant first, in tenths 0 … 99, for a counter at <paramref name="tenths"/>: the lowest
    /// wheel turns all the time; a higher wheel turns only while every wheel below it shows 9 (the gears), by as much as the lowest.
    /// </summary>
    public static int[] Positions(long tenths)
    {
        var value = tenths / 10;
        var roll = (int)(tenths % 10);
        var positions = new int[Wheels];
        long power = 1;
        for (int k = 0; k < Wheels; k++, power *= 10)
        {
            var digit = (int)(value / power % 10);
            var rolling = k == 0 || value % power == power - 1;
            positions[Wheels - 1 - k] = digit * 10 + (rolling ? roll : 0);
        }
        return positions;
    }

    private static double Uniform(Random rng, double max) => (rng.NextDouble() * 2 - 1) * max;

    /// <summary>A window of the family at wheel position <paramref name="position"/>; the nearest roll of the same digit when the family has none there.</summary>
    private static string Pick(Dictionary<int, List<string>> byClass, int position, Random rng, string family)
    {
        var digit = position / 10;
        for (int d = 0; d < 10; d++)
            foreach (var p in new[] { position - d, position + d })
                if (p / 10 == digit && p >= 0 && byClass.TryGetValue(p, out var files)) return files[rng.Next(files.Count)];
        throw new InvalidDataException($"meter family '{family}' has no window of digit {digit}");
    }

    private static Dictionary<int, List<string>> FamilyWindows(string dir, string family)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: meter digit folder not found (edgedigits data fetch meterdigits)");
        var byClass = new Dictionary<int, List<string>>();
        foreach (var labelDir in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            if (!MeterDigitSet.TryParseLabel(Path.GetFileName(labelDir), out var position)) continue;
            var files = Directory.GetFiles(labelDir, "*.jpg").Where(f => MeterSeries.FamilyOf(Path.GetFileName(f)) == family).Order(StringComparer.Ordinal).ToList();
            if (files.Count > 0) byClass[position] = files;
        }
        if (byClass.Count == 0) throw new InvalidDataException($"{dir}: no window of meter family '{family}'");
        return byClass;
    }
}
