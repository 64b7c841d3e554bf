using System.Diagnostics;
using System.Globalization;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Modes;

/// <summary>How meter mode turns a camera frame into a reading; one implementation per way a meter is read.</summary>
public interface IMeterFrameReader : IDisposable
{
    /// <summary>How many frames, captured back to back, make one reading.</summary>
    int FramesPerReading { get; }

    /// <summary>The digit confidence below which the plausibility check treats a digit as unsure, or null for <see cref="MeterOptions.ConfidenceThreshold"/>.</summary>
    double? DigitConfidenceThreshold { get; }

    /// <summary>Reads <see cref="FramesPerReading"/> encoded camera frames (at least one) into one reading.</summary>
    /// <exception cref="Core.Imaging.ImageFormatException">A frame cannot be decoded.</exception>
    /// <exception cref="ArgumentException">A configured region lies outside a frame, or no frames.</exception>
    /// <exception cref="FrameRefusedException">No frame of the burst aligns with the reference well enough to be read.</exception>
    DeviceReading Read(IReadOnlyList<byte[]> frames);

    /// <summary>
    /// Opens the reader the meter options ask for: digit windows (<see cref="MeterOptions.Windows"/>, aligned as
    /// <see cref="MeterOptions.Alignment"/> says) or free-form numbers in the regions of interest.
    /// </summary>
    static IMeterFrameReader Create(MeterOptions options, ModelHost models, Func<string, string> resolvePath) =>
        options.Windows.Count > 0
            ? new WindowMeterReader(resolvePath(options.WindowModel), options.Windows, options.Burst, options.Alignment.OpenAligner(options.Windows, resolvePath))
            : new NumberMeterReader(models, options.Rois);
}

/// <summary>Free-form meter reading: the number(s) in the regions of interest, segmented and read by the digit model.</summary>
public sealed class NumberMeterReader(ModelHost models, IReadOnlyList<RectOptions> rois) : IMeterFrameReader
{
    /// <inheritdoc />
    public int FramesPerReading => 1;

    /// <inheritdoc />
    public double? DigitConfidenceThreshold => null;

    /// <inheritdoc />
    public DeviceReading Read(IReadOnlyList<byte[]> frames) => models.Current.ReadImage(frames[0], rois);

    /// <inheritdoc />
    public void Dispose() { }
}

/// <summary>
/// Digit-window meter reading: every configured window is one counter wheel, read in one batch by the meter wheel
/// model; the row is settled by the gear model (<see cref="MeterValueResolver"/>). A window whose wheel position the
/// model is unsure of is '?' (the plausibility check then falls back on the previous value's digit). With an aligner every
/// frame is first aligned to the reference image and the windows are cut where the alignment puts them; a frame that does
/// not align is left out of the burst, and a reading with no frame left is refused (<see cref="FrameRefusedException"/>).
/// </summary>
public sealed class WindowMeterReader : IMeterFrameReader
{
    private readonly MeterWindowReader _reader;
    private readonly PixelRect[] _windows;
    private readonly RollingDigit[] _wheels;
    private readonly RollingDigit[] _burst;
    private readonly MeterValueResolver _resolver;
    private readonly object _gate = new();
    private readonly IFrameAligner? _aligner;
    private MeterValue? _previous;

    /// <summary>
    /// Loads the meter wheel model at <paramref name="modelPath"/> for <paramref name="windows"/> (most significant first, boxes on
    /// the reference image), <paramref name="burst"/> frames per reading, each aligned by <paramref name="aligner"/> (null: windows
    /// cut where they are), the lowest wheel counted by <paramref name="lowestWheel"/> (null: <see cref="LowestWheelFloor"/>'s defaults).
    /// </summary>
    /// <exception cref="Core.Recognition.ModelLoadException">The model is missing, unreadable or not a meter wheel model.</exception>
    public WindowMeterReader(string modelPath, IReadOnlyList<RectOptions> windows, int burst = 1, IFrameAligner? aligner = null, LowestWheelFloor? lowestWheel = null)
    {
        _resolver = new MeterValueResolver { LowestWheel = lowestWheel ?? new LowestWheelFloor() };
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        FramesPerReading = burst;
        _aligner = aligner;
        _windows = windows.Select(w => w.ToPixelRect()).ToArray();
        _wheels = new RollingDigit[_windows.Length];
        _burst = new RollingDigit[_windows.Length * burst];
        _reader = new MeterWindowReader(modelPath, maxWindows: Math.Max(1, _windows.Length));
    }

    /// <inheritdoc />
    public int FramesPerReading { get; }

    /// <inheritdoc />
    /// <remarks>The wheels are settled by the gear model already; only those it could not read (<c>?</c>) fall back.</remarks>
    public double? DigitConfidenceThreshold => _resolver.MinimumConfidence;

    /// <inheritdoc />
    public DeviceReading Read(IReadOnlyList<byte[]> frames)
    {
        if (frames.Count == 0) throw new ArgumentException("no frames to read", nameof(frames));
        var start = Stopwatch.GetTimestamp();
        var n = Math.Min(frames.Count, FramesPerReading);
        var decoded = new GrayImage[n];
        for (var f = 0; f < n; f++)
        {
            decoded[f] = GrayImageCodec.Decode(frames[f], "frame");
            if (_aligner is not null) continue;
            foreach (var w in _windows)
                if (w.Right > decoded[f].Width || w.Bottom > decoded[f].Height)
                    throw new ArgumentException($"window {w} reaches outside the {decoded[f].Width}x{decoded[f].Height} frame");
        }
        lock (_gate)
        {
            // Wheel-major: the burst's readings of wheel i sit side by side, to be combined.
            Span<RollingDigit> one = _wheels;
            var used = 0;
            var refusals = new List<string>();
            AlignmentResult? alignment = null;
            var lastRead = -1;
            var lastTransform = FrameTransform.Identity;
            for (var f = 0; f < n; f++)
            {
                var transform = FrameTransform.Identity;
                if (_aligner is not null)
                {
                    var a = _aligner.Align(decoded[f]);
                    var outside = a.Aligned ? Array.FindIndex(_windows, w => !a.Transform.KeepsInside(w, decoded[f].Width, decoded[f].Height)) : -1;
                    if (!a.Aligned || outside >= 0)
                    {
                        refusals.Add(a.Reason ?? $"window {outside + 1} ({_windows[outside]}) falls outside the frame once aligned ({a.Transform.Describe(decoded[f].Width / 2.0, decoded[f].Height / 2.0)})");
                        continue;
                    }
                    alignment = a;
                    transform = a.Transform;
                }
                _reader.Read(decoded[f], _windows, transform, one);
                (lastRead, lastTransform) = (f, transform);
                for (var i = 0; i < _windows.Length; i++) _burst[i * n + used] = one[i];
                used++;
            }
            if (used == 0)
                throw new FrameRefusedException(n == 1 ? $"frame not aligned: {refusals[0]}" : $"frame not aligned: {refusals[0]} (all {n} frames of the burst)");
            for (var i = 0; i < _windows.Length; i++) _wheels[i] = _reader.Decoder.Combine(_burst.AsSpan(i * n, used));
            var value = _resolver.Resolve(_wheels, _previous);
            _previous = value;
            var digits = new List<DigitResult>(_windows.Length);
            for (var i = 0; i < _windows.Length; i++)
            {
                // The box where the window was cut on the (last read) frame: the reference box moved with its centre.
                var w = _windows[i];
                var shift = alignment?.Transform.ShiftAt(w.X + w.Width / 2.0, w.Y + w.Height / 2.0) ?? default;
                var text = value.Text[i].ToString();
                digits.Add(new DigitResult(text, _wheels[i].Confidence, [w.X + (int)Math.Round(shift.X), w.Y + (int)Math.Round(shift.Y), w.Width, w.Height])
                {
                    Best = _wheels[i].Position,
                });
            }
            var notes = new List<string>();
            if (value.SettledFromContext.Count > 0) notes.Add($"wheels {string.Join(",", value.SettledFromContext.Select(p => p + 1))} settled from the wheel to their right");
            if (value.Lowest is { Kept: true }) notes.Add(string.Create(CultureInfo.InvariantCulture, $"lowest wheel at {_wheels[^1].Value:0.00} kept at {value.Text[^1]} from the previous reading"));
            if (value.Lowest is { Waiting: > 0, Digit: null } waiting) notes.Add(string.Create(CultureInfo.InvariantCulture, $"lowest wheel at {_wheels[^1].Value:0.00} between {(waiting.WaitingAt + 9) % 10} and {waiting.WaitingAt}: waiting for it to settle"));
            if (alignment is not null) notes.Add(string.Create(CultureInfo.InvariantCulture, $"aligned {alignment.Score:0.00}"));
            if (refusals.Count > 0) notes.Add($"{refusals.Count} of {n} frames not aligned ({refusals[0]})");
            return new DeviceReading
            {
                Text = value.Text,
                Position = value.Value,
                Tenth = value.Tenth,
                Windows = CutWindows(decoded[lastRead], lastTransform),
                Digits = digits,
                LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
                Time = DateTimeOffset.UtcNow,
                Outcome = notes.Count == 0 ? null : string.Join("; ", notes),
            };
        }
    }

    /// <summary>Each window as it was cut from <paramref name="frame"/> (moved by <paramref name="transform"/>), at its own size, for corrections.</summary>
    private GrayImage[] CutWindows(GrayImage frame, FrameTransform transform)
    {
        var crops = new GrayImage[_windows.Length];
        for (var i = 0; i < crops.Length; i++)
        {
            crops[i] = new GrayImage(_windows[i].Width, _windows[i].Height);
            transform.Warp(frame, _windows[i], crops[i]);
        }
        return crops;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
