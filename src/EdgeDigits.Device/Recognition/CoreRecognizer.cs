using System.Diagnostics;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Device.Configuration;

namespace EdgeDigits.Device.Recognition;

/// <summary>
/// The recognition core's <see cref="NumberReader"/> over one ONNX image model (and, for inks, the ink sequence model
/// beside it), turned into <see cref="DeviceReading"/>s. Calls are serialized: the reader reuses its buffers.
/// </summary>
public sealed class CoreRecognizer : IRecognizer
{
    private readonly DigitClassifier _classifier;
    private readonly DigitClassifier? _sequence;
    private readonly NumberReader _reader;
    private readonly NumberReaderOptions _baseOptions;
    private readonly object _gate = new();

    /// <summary>
    /// Loads <paramref name="modelPath"/> and its metadata, and the ink sequence model <paramref name="inkModelPath"/> when given;
    /// throws <see cref="ModelLoadException"/> with the reason when it cannot (a model of the wrong kind included).
    /// </summary>
    public CoreRecognizer(string modelPath, int threads = 1, string? inkModelPath = null)
    {
        var options = new DigitClassifierOptions { IntraOpThreads = threads };
        _classifier = new DigitClassifier(modelPath, options);
        try
        {
            _sequence = inkModelPath is null ? null : new DigitClassifier(inkModelPath, options);
            _reader = new NumberReader(_classifier, null, _sequence);
        }
        catch (Exception e) when (e is ModelLoadException or ArgumentException)
        {
            _sequence?.Dispose();
            _classifier.Dispose();
            throw e as ModelLoadException ?? new ModelLoadException(e.Message, e);
        }
        _baseOptions = _reader.Options;
    }

    /// <inheritdoc />
    public string ModelPath => _classifier.ModelPath;

    /// <inheritdoc />
    public string ModelName => _classifier.Metadata.Name;

    /// <inheritdoc />
    public DeviceReading ReadImage(byte[] encoded, IReadOnlyList<RectOptions>? rois = null)
    {
        var start = Stopwatch.GetTimestamp();
        var frame = GrayImageCodec.Decode(encoded, "frame");
        lock (_gate)
        {
            if (rois is null || rois.Count == 0)
            {
                _reader.Options = _baseOptions;
                var r = _reader.Read(frame);
                return Convert(r, start);
            }
            var digits = new List<DigitResult>();
            var crops = new List<byte[]>();
            foreach (var roi in rois)
            {
                var rect = new PixelRect(roi.X, roi.Y, roi.Width, roi.Height);
                if (rect.Right > frame.Width || rect.Bottom > frame.Height)
                    throw new ArgumentException($"region {roi} reaches outside the {frame.Width}x{frame.Height} frame");
                _reader.Options = _baseOptions with { Preprocess = _baseOptions.Preprocess with { Roi = rect } };
                var part = Convert(_reader.Read(frame), start);
                digits.AddRange(part.Digits);
                crops.AddRange(part.Crops);
            }
            _reader.Options = _baseOptions;
            return new DeviceReading
            {
                Text = string.Concat(digits.Select(d => d.Digit)),
                Digits = digits,
                Crops = crops.Count == digits.Count ? crops : [],
                LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
                Time = DateTimeOffset.UtcNow,
            };
        }
    }

    /// <inheritdoc />
    public DeviceReading ReadInk(Ink ink)
    {
        var start = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _reader.Options = _baseOptions;
            return Convert(_reader.Read(ink), start);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<(string Label, float Confidence)> ClassifyCrops(IReadOnlyList<byte[]> crops28)
    {
        lock (_gate)
        {
            var result = new List<(string, float)>(crops28.Count);
            foreach (var crop in crops28)
            {
                var (index, conf) = _classifier.ClassifyOne(crop);
                result.Add((_classifier.Metadata.Classes[index], conf));
            }
            return result;
        }
    }

    private DeviceReading Convert(Reading r, long start)
    {
        var digits = new List<DigitResult>(r.Count);
        foreach (var d in r.Digits)
            digits.Add(new DigitResult(d.Uncertain ? "?" : d.Character.ToString(), d.Confidence, [d.Box.X, d.Box.Y, d.Box.Width, d.Box.Height]) { Best = d.Label });
        var crops = new List<byte[]>(r.Count);
        for (var i = 0; i < r.Count; i++) crops.Add(_reader.Crop(_reader.CropOfDigit(i)).ToArray());
        return new DeviceReading
        {
            Text = r.Text,
            Digits = digits,
            Crops = crops,
            LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
            Time = DateTimeOffset.UtcNow,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _classifier.Dispose();
        _sequence?.Dispose();
    }
}
