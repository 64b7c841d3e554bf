using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Recognition;

namespace EdgeDigits.Core.Meters;

/// <summary>
/// The work behind <c>edgedigits read --one-digit</c>: every image (or its <c>--roi</c>) is one meter digit window,
/// read by the meter wheel model without segmentation. One output line per file: path, the digit or '?', the
/// confidence; with JSON also the wheel position and roll. With a layout (<see cref="ReadRequest.Windows"/>) every image is a
/// whole meter frame: aligned to the reference (a refused frame is reported with the reason, not read), its windows read in one
/// batch and settled by the gear model; <see cref="ReadRequest.DebugDir"/> gets a picture of the windows where the alignment put them.
/// A bad file is reported and does not stop the others.
/// </summary>
public static class WindowReadService
{
    /// <summary>Runs the request; readings go to <paramref name="output"/>, per-file errors to <paramref name="error"/>.</summary>
    /// <exception cref="FileNotFoundException">No meter model found.</exception>
    /// <exception cref="ModelLoadException">The model cannot be used, or is not a meter wheel model.</exception>
    public static ReadSummary Run(ReadRequest request, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Windows is not null) return RunFrames(request, output, error);
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

    /// <summary>Reads whole meter frames through the layout <see cref="ReadRequest.Windows"/>.</summary>
    /// <exception cref="InvalidDataException">The layout cannot be used.</exception>
    /// <exception cref="ImageFormatException">The reference image cannot be decoded.</exception>
    private static ReadSummary RunFrames(ReadRequest request, TextWriter output, TextWriter error)
    {
        var layoutPath = Path.GetFullPath(request.Windows!);
        var layout = MeterLayout.Load(layoutPath);
        if (request.Reference is { } r) layout = layout with { Reference = r, Mode = layout.Mode == AlignmentMode.None ? AlignmentMode.Registration : layout.Mode };
        IFrameAligner? aligner = null;
        if (layout.Reference is { } referencePath)
        {
            var reference = GrayImageCodec.Decode(referencePath, request.MaxPixels);
            try
            {
                aligner = layout.CreateAligner(reference);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{layoutPath}: {e.Message} (reference {referencePath})", e);
            }
        }
        var windows = layout.Windows.ToArray();
        using var reader = new MeterWindowReader(ModelLocator.Resolve(request.Model, ModelLocator.MeterNames), maxWindows: windows.Length, intraOpThreads: request.Threads);
        var resolver = new MeterValueResolver();
        var wheels = new RollingDigit[windows.Length];
        int read = 0, failed = 0;
        foreach (var (path, problem) in ReadService.Expand(request.Inputs))
        {
            if (Path.GetFullPath(path) == layoutPath) continue;
            try
            {
                if (problem is not null) throw new ArgumentException(problem);
                if (ReadService.IsInk(path)) throw new ArgumentException("a JSON file is not a meter frame");
                var frame = GrayImageCodec.Decode(path, request.MaxPixels);
                var alignment = aligner?.Align(frame);
                if (request.DebugDir is not null) AlignmentDebugImage.Save(frame, layout, alignment, Path.Combine(request.DebugDir, Path.GetFileName(path) + ".align.png"));
                if (alignment is { Aligned: false }) throw new ArgumentException($"not read: {alignment.Reason}");
                reader.Read(frame, windows, alignment?.Transform ?? FrameTransform.Identity, wheels);
                var value = resolver.Resolve(wheels);
                output.WriteLine(request.Json ? FrameJson(path, value, wheels, alignment) : string.Create(CultureInfo.InvariantCulture,
                    $"{path}\t{value.Text}\t{wheels.Min(w => w.Confidence):0.000}\t{(alignment is null ? "not aligned" : $"aligned {alignment.Score:0.00}: {alignment.Transform.Describe(frame.Width / 2.0, frame.Height / 2.0)}")}"));
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

    private static string FrameJson(string file, MeterValue value, ReadOnlySpan<RollingDigit> wheels, AlignmentResult? alignment)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("file", file);
            w.WriteString("text", value.Text);
            if (alignment is not null)
            {
                w.WriteStartObject("alignment");
                w.WriteNumber("score", Math.Round(alignment.Score, 4));
                w.WriteNumber("angle", Math.Round(alignment.Transform.AngleDegrees, 3));
                w.WriteNumber("scale", Math.Round(alignment.Transform.Scale, 4));
                w.WriteNumber("tx", Math.Round(alignment.Transform.Tx, 2));
                w.WriteNumber("ty", Math.Round(alignment.Transform.Ty, 2));
                w.WriteEndObject();
            }
            w.WriteStartArray("wheels");
            foreach (var d in wheels)
            {
                w.WriteStartObject();
                w.WriteString("text", d.Text.ToString());
                w.WriteNumber("value", Math.Round(d.Value, 2));
                w.WriteNumber("confidence", Math.Round(d.Confidence, 4));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
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
