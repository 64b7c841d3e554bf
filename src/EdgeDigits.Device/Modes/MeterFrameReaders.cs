using System.Diagnostics;
using System.Globalization;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
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
    DeviceReading Read(IReadOnlyList<byte[]> frames);

    /// <summary>Opens the reader the meter options ask for: digit windows (<see cref="MeterOptions.Windows"/>) or free-form numbers in the regions of interest.</summary>
    static IMeterFrameReader Create(MeterOptions options, ModelHost models, Func<string, string> resolvePath) =>
        options.Windows.Count > 0
            ? new WindowMeterReader(resolvePath(options.WindowModel), options.Windows, options.Burst)
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
/// model is unsure of is '?' (the plausibility check then falls back on the previous value's digit).
/// </summary>
public sealed class WindowMeterReader : IMeterFrameReader
{
    private readonly MeterWindowReader _reader;
    private readonly PixelRect[] _windows;
    private readonly RollingDigit[] _wheels;
    private readonly RollingDigit[] _burst;
    private readonly MeterValueResolver _resolver = new();
    private readonly object _gate = new();

    /// <summary>Loads the meter wheel model at <paramref name="modelPath"/> for <paramref name="windows"/> (most significant first), <paramref name="burst"/> frames per reading.</summary>
    /// <exception cref="Core.Recognition.ModelLoadException">The model is missing, unreadable or not a meter wheel model.</exception>
    public WindowMeterReader(string modelPath, IReadOnlyList<RectOptions> windows, int burst = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        FramesPerReading = burst;
        _windows = windows.Select(w => new PixelRect(w.X, w.Y, w.Width, w.Height)).ToArray();
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
            foreach (var w in _windows)
                if (w.Right > decoded[f].Width || w.Bottom > decoded[f].Height)
                    throw new ArgumentException($"window {w} reaches outside the {decoded[f].Width}x{decoded[f].Height} frame");
        }
        lock (_gate)
        {
            // Wheel-major: the burst's readings of wheel i sit side by side, to be combined.
            Span<RollingDigit> one = _wheels;
            for (var f = 0; f < n; f++)
            {
                _reader.Read(decoded[f], _windows, one);
                for (var i = 0; i < _windows.Length; i++) _burst[i * n + f] = one[i];
            }
            for (var i = 0; i < _windows.Length; i++) _wheels[i] = _reader.Decoder.Combine(_burst.AsSpan(i * n, n));
            var value = _resolver.Resolve(_wheels);
            var digits = new List<DigitResult>(_windows.Length);
            for (var i = 0; i < _windows.Length; i++)
            {
                var w = _windows[i];
                var text = value.Text[i].ToString();
                digits.Add(new DigitResult(text, _wheels[i].Confidence, [w.X, w.Y, w.Width, w.Height])
                {
                    Best = _wheels[i].Value.ToString("0.0", CultureInfo.InvariantCulture),
                });
            }
            return new DeviceReading
            {
                Text = value.Text,
                Digits = digits,
                LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
                Time = DateTimeOffset.UtcNow,
                Outcome = value.SettledFromContext.Count == 0 ? null
                    : $"wheels {string.Join(",", value.SettledFromContext.Select(p => p + 1))} settled from the wheel to their right",
            };
        }
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
