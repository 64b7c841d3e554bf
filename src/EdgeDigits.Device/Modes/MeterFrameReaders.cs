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
    /// <summary>Reads one encoded camera frame.</summary>
    /// <exception cref="Core.Imaging.ImageFormatException">The frame cannot be decoded.</exception>
    /// <exception cref="ArgumentException">A configured region lies outside the frame.</exception>
    DeviceReading Read(byte[] encoded);

    /// <summary>Opens the reader the meter options ask for: digit windows (<see cref="MeterOptions.Windows"/>) or free-form numbers in the regions of interest.</summary>
    static IMeterFrameReader Create(MeterOptions options, ModelHost models, Func<string, string> resolvePath) =>
        options.Windows.Count > 0
            ? new WindowMeterReader(resolvePath(options.WindowModel), options.Windows)
            : new NumberMeterReader(models, options.Rois);
}

/// <summary>Free-form meter reading: the number(s) in the regions of interest, segmented and read by the digit model.</summary>
public sealed class NumberMeterReader(ModelHost models, IReadOnlyList<RectOptions> rois) : IMeterFrameReader
{
    /// <inheritdoc />
    public DeviceReading Read(byte[] encoded) => models.Current.ReadImage(encoded, rois);

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
    private readonly MeterValueResolver _resolver = new();
    private readonly object _gate = new();

    /// <summary>Loads the meter wheel model at <paramref name="modelPath"/> for <paramref name="windows"/> (most significant first).</summary>
    /// <exception cref="Core.Recognition.ModelLoadException">The model is missing, unreadable or not a meter wheel model.</exception>
    public WindowMeterReader(string modelPath, IReadOnlyList<RectOptions> windows)
    {
        _windows = windows.Select(w => new PixelRect(w.X, w.Y, w.Width, w.Height)).ToArray();
        _wheels = new RollingDigit[_windows.Length];
        _reader = new MeterWindowReader(modelPath, maxWindows: Math.Max(1, _windows.Length));
    }

    /// <inheritdoc />
    public DeviceReading Read(byte[] encoded)
    {
        var start = Stopwatch.GetTimestamp();
        var frame = GrayImageCodec.Decode(encoded, "frame");
        foreach (var w in _windows)
            if (w.Right > frame.Width || w.Bottom > frame.Height)
                throw new ArgumentException($"window {w} reaches outside the {frame.Width}x{frame.Height} frame");
        lock (_gate)
        {
            _reader.Read(frame, _windows, _wheels);
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
