using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Recognition;

namespace EdgeDigits.Core.Meters;

/// <summary>
/// The work behind <c>edgedigits read --one-digit</c>: every image (or its <c>--roi</c>) is one meter digit window,
/// read by the meter wheel model without segmentation. One output line per file: path, the digit or '?', the
/// confidence; with JSON also the wheel position and roll. A bad file is reported and does not stop the others.
/// </summary>
public static class WindowReadService
{
    /// <summary>Runs the request; readings go to <paramref name="output"/>, per-file errors to <paramref name="error"/>.</summary>
    /// <exception cref="FileNotFoundException">No meter model found.</exception>
    /// <exception cref="ModelLoadException">The model cannot be used, or is not a meter wheel model.</exception>
    public static ReadSummary Run(ReadRequest request, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        var modelPath = ModelLocator.Resolve(request.Model, ModelLocator.MeterNames);
        using var reader = new MeterWindowReader(modelPath, maxWindows: 1, intraOpThreads: request.Threads);
        Span<RollingDigit> result = stackalloc RollingDigit[1];
        int read = 0, failed = 0;
        foreach (var (path, problem) in ReadService.Expand(request.Inputs))
        {
            if (problem is not null)
            {
                error.WriteLine($"edgedigits read: {path}: {problem}");
                failed++;
                continue;
            }
            try
            {
                if (ReadService.IsInk(path)) throw new ArgumentException($"{path}: an ink recording is not a meter digit window (read it without --one-digit)");
                var image = GrayImageCodec.Decode(path, request.MaxPixels);
                var window = request.Roi ?? image.Bounds;
                if (window.Right > image.Width || window.Bottom > image.Height)
                    throw new ArgumentException($"{path}: --roi {window} is outside the {image.Width}x{image.Height} image");
                reader.Read(image, [window], result);
                output.WriteLine(request.Json ? ToJson(path, result[0]) : $"{path}\t{result[0].Text}\t{result[0].Confidence.ToString("0.000", CultureInfo.InvariantCulture)}");
                read++;
            }
            catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                var msg = e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message : $"{path}: {e.Message}";
                error.WriteLine($"edgedigits read: {msg.ReplaceLineEndings(" ")}");
                failed++;
            }
        }
        return new ReadSummary(read, failed);
    }

    /// <summary>One window's reading as a JSON object: file, text, digit (or null), value, roll, confidence.</summary>
    public static string ToJson(string file, RollingDigit digit)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("file", file);
            w.WriteString("text", digit.Text.ToString());
            if (digit.Digit is { } d) w.WriteNumber("digit", d);
            else w.WriteNull("digit");
            w.WriteNumber("value", Math.Round(digit.Value, 2));
            w.WriteNumber("roll", Math.Round(digit.Roll, 2));
            w.WriteNumber("from", digit.Lower);
            w.WriteNumber("to", digit.Upper);
            w.WriteNumber("confidence", Math.Round(digit.Confidence, 4));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
