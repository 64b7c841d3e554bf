using System.Globalization;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Preprocessing;

namespace EdgeDigits.Core.Recognition;

/// <summary>What <see cref="ReadService"/> should read and how to report it.</summary>
public sealed record ReadRequest
{
    /// <summary>Files and folders (a folder means every image and ink file directly inside it).</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Model file; null = the default shipped model (<see cref="ModelLocator"/>).</summary>
    public string? Model { get; init; }

    /// <summary>Ink sequence model read beside <see cref="Model"/> on inks; null = the shipped one when found, <c>none</c> = the digit model alone (<see cref="ModelLocator.ResolveInk"/>).</summary>
    public string? InkModel { get; init; }

    /// <summary>Region of interest applied to images.</summary>
    public PixelRect? Roi { get; init; }

    /// <summary>Four corners (TL, TR, BR, BL) of a display seen at an angle, straightened before reading; overrides <see cref="Roi"/>.</summary>
    public PointF[]? Quad { get; init; }

    /// <summary>One JSON object per line instead of tab-separated text.</summary>
    public bool Json { get; init; }

    /// <summary>Folder for intermediate images (threshold, components, crops), or null.</summary>
    public string? DebugDir { get; init; }

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Treat each image (or its ROI) as one meter digit window, read by the meter wheel model.</summary>
    public bool OneDigit { get; init; }

    /// <summary>With <see cref="OneDigit"/>: a meter layout file (<see cref="Meters.MeterLayout"/>); each image is then a whole meter frame, aligned and read window by window.</summary>
    public string? Windows { get; init; }

    /// <summary>With <see cref="Windows"/>: the reference image, instead of the layout's own.</summary>
    public string? Reference { get; init; }

    /// <summary>Largest image accepted, in pixels.</summary>
    public long MaxPixels { get; init; } = GrayImageCodec.DefaultMaxPixels;
}

/// <summary>Counts of a <see cref="ReadService"/> run.</summary>
/// <param name="Read">Files read (including empty readings).</param>
/// <param name="Failed">Files that could not be read (each reported on the error writer).</param>
public readonly record struct ReadSummary(int Read, int Failed);

/// <summary>
/// The work behind <c>edgedigits read</c>: reads images and ink files into readings, one output
/// line per file. A bad file is reported on the error writer and does not stop the others.
/// </summary>
public static class ReadService
{
    /// <summary>File extensions read as images.</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif" };

    /// <summary>Runs the request; readings go to <paramref name="output"/>, per-file errors to <paramref name="error"/>.</summary>
    /// <exception cref="FileNotFoundException">No model found.</exception>
    /// <exception cref="ModelLoadException">The model cannot be used, or a model is of the wrong kind.</exception>
    public static ReadSummary Run(ReadRequest request, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        var modelPath = ModelLocator.Resolve(request.Model);
        var inkPath = ModelLocator.ResolveInk(request.InkModel);
        var options = new DigitClassifierOptions { IntraOpThreads = request.Threads };
        using var classifier = new DigitClassifier(modelPath, options);
        using var sequence = inkPath is null ? null : new DigitClassifier(inkPath, options);
        NumberReader reader;
        try
        {
            reader = new NumberReader(classifier, new NumberReaderOptions { Preprocess = new PreprocessOptions { Roi = request.Roi, Quad = request.Quad } }, sequence);
        }
        catch (ArgumentException e)
        {
            throw new ModelLoadException(e.Message, e);
        }
        int read = 0, failed = 0;
        foreach (var (path, problem) in Expand(request.Inputs))
        {
            if (problem is not null)
            {
                error.WriteLine($"edgedigits read: {path}: {problem}");
                failed++;
                continue;
            }
            try
            {
                var reading = ReadFile(reader, path, request);
                output.WriteLine(request.Json
                    ? reading.ToJson(path)
                    : $"{path}\t{reading.Text}\t{(reading.Count == 0 ? "-" : reading.LowestConfidence.ToString("0.000", CultureInfo.InvariantCulture))}");
                read++;
            }
            catch (Exception e) when (e is ImageFormatException or InkFormatException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                // The exception messages of the codecs already start with the file name.
                var msg = e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message : $"{path}: {e.Message}";
                error.WriteLine($"edgedigits read: {msg.ReplaceLineEndings(" ")}");
                failed++;
            }
            catch (Exception e) when (e is not OutOfMemoryException and not ModelLoadException)
            {
                // One file must never stop the others; report what happened and carry on.
                error.WriteLine($"edgedigits read: {path}: could not be read ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})");
                failed++;
            }
        }
        return new ReadSummary(read, failed);
    }

    /// <summary>Reads one file (image or ink) into a reading; writes debug images when asked.</summary>
    public static Reading ReadFile(NumberReader reader, string path, ReadRequest request)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(request);
        var name = Path.GetFileName(path);
        if (IsInk(path))
        {
            var ink = Ink.Load(path);
            var r = reader.Read(ink);
            if (request.DebugDir is not null)
            {
                ReadingDebugWriter.WriteCrops(reader, request.DebugDir, name);
                GrayImageCodec.SavePng(new InkRasterizer().RasterizePanel(ink), Path.Combine(request.DebugDir, name + ".ink.png"));
            }
            return r;
        }
        var image = GrayImageCodec.Decode(path, request.MaxPixels);
        if (request.Quad is { } quad)
        {
            foreach (var p in quad)
                if (p.X < 0 || p.Y < 0 || p.X > image.Width || p.Y > image.Height)
                    throw new ArgumentException($"{path}: --quad corner {p.X:0.#},{p.Y:0.#} is outside the {image.Width}x{image.Height} image");
        }
        else if (request.Roi is { } roi && (roi.Right > image.Width || roi.Bottom > image.Height))
            throw new ArgumentException($"{path}: --roi {roi} is outside the {image.Width}x{image.Height} image");
        var reading = reader.Read(image);
        if (request.DebugDir is not null) ReadingDebugWriter.WriteFrame(reader, request.DebugDir, name, image);
        return reading;
    }

    /// <summary>True when the file is an ink recording: a <c>.json</c> extension, or content starting with <c>{</c> for unknown extensions.</summary>
    public static bool IsInk(string path)
    {
        var ext = Path.GetExtension(path);
        if (ext.Equals(".json", StringComparison.OrdinalIgnoreCase)) return true;
        if (ImageExtensions.Contains(ext)) return false;
        using var f = File.OpenRead(path);
        int b;
        while ((b = f.ReadByte()) >= 0)
        {
            if (b is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF) continue;
            return b == '{';
        }
        return false;
    }

    /// <summary>Expands folders, with their subfolders, into their image and ink files (sorted); missing paths come back with a problem.</summary>
    public static IEnumerable<(string Path, string? Problem)> Expand(IEnumerable<string> inputs)
    {
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var files = Directory.GetFiles(input, "*", SearchOption.AllDirectories)
                    .Where(f => ImageExtensions.Contains(Path.GetExtension(f)) || Path.GetExtension(f).Equals(".json", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0) yield return (input, "folder holds no image or ink files");
                foreach (var f in files) yield return (f, null);
            }
            else if (File.Exists(input)) yield return (input, null);
            else yield return (input, "no such file or folder");
        }
    }
}
