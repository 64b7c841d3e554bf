using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Synthesis;
using SkiaSharp;

namespace EdgeDigits.Core.Recognition;

/// <summary>
/// Writes the intermediate images of the last read of a <see cref="NumberReader"/> so a person can see
/// why a reading went wrong: <c>NAME.ink.png</c> (background-flattened ink), <c>NAME.threshold.png</c>
/// (binary mask), <c>NAME.components.png</c> (each digit group in its own gray, dropped specks dim,
/// digit boxes outlined), <c>NAME.crops.png</c> (the 28x28 model inputs side by side, 4x enlarged), and for frames
/// <c>NAME.candidates.png</c> (the frame with every candidate's box, coloured by its fate, labelled with the model's
/// best class: green kept, red "not a digit", orange outside the number's row, grey a cut or layer reading not taken, blue a
/// thin line cut off the bottom of the digits) and <c>NAME.candidates.json</c> (each candidate's box, class, confidence,
/// 'none' probability and fate; each line cut off, its box and <see cref="LineRunFate"/>).
/// </summary>
public static class ReadingDebugWriter
{
    /// <summary>Writes the frame debug images of <paramref name="reader"/>'s last frame read into <paramref name="directory"/>.</summary>
    /// <param name="reader">The reader whose last frame is shown.</param>
    /// <param name="directory">The folder (created when missing).</param>
    /// <param name="name">The file name stem.</param>
    /// <param name="source">The frame that was read, for the candidates overlay; null leaves the overlay out.</param>
    public static IReadOnlyList<string> WriteFrame(NumberReader reader, string directory, string name, GrayImage? source = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        string Save(GrayImage img, string suffix)
        {
            var path = Path.Combine(directory, $"{name}.{suffix}.png");
            GrayImageCodec.SavePng(img, path);
            written.Add(path);
            return path;
        }
        var pre = reader.Preprocessor;
        Save(pre.Ink, "ink");
        Save(pre.Binary, "threshold");

        var cc = reader.Segmenter.Components;
        var groups = reader.Segmenter.GroupOfComponent;
        var comp = new GrayImage(cc.Width, cc.Height);
        var labels = cc.Labels;
        for (int i = 0; i < labels.Length; i++)
        {
            int l = labels[i];
            if (l == 0) continue;
            int g = groups[l - 1];
            comp.Buffer[i] = g < 0 ? (byte)60 : (byte)(120 + (g * 47) % 136);
        }
        foreach (var r in reader.Segmenter.Regions) Outline(comp, r.Box, 255);
        Save(comp, "components");
        WriteCrops(reader, directory, name, written);
        if (source is not null) written.Add(WriteCandidatesImage(reader, source, Path.Combine(directory, $"{name}.candidates.png")));
        var json = Path.Combine(directory, $"{name}.candidates.json");
        File.WriteAllText(json, CandidatesJson(reader));
        written.Add(json);
        return written;
    }

    /// <summary>The candidates of the last frame read as a JSON array: crop, box [x,y,w,h], class, confidence, none, fate (with the reason).</summary>
    public static string CandidatesJson(NumberReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var classes = reader.Classifier.Metadata.Classes;
        var list = new JsonArray();
        foreach (var c in reader.Candidates)
            list.Add((JsonNode)new JsonObject
            {
                ["crop"] = c.Crop,
                ["box"] = new JsonArray(c.Box.X, c.Box.Y, c.Box.Width, c.Box.Height),
                ["class"] = classes[c.ClassIndex],
                ["confidence"] = Math.Round(c.Confidence, 4),
                ["none"] = Math.Round(c.NoneProbability, 4),
                ["fate"] = FateName(c.Fate),
            });
        foreach (var run in reader.Segmenter.LineRuns)
        {
            var b = reader.Preprocessor.MapToSource(run);
            list.Add((JsonNode)new JsonObject { ["box"] = new JsonArray(b.X, b.Y, b.Width, b.Height), ["fate"] = LineRunFate });
        }
        // JsonNode output needs no reflection: the trimmed board build writes it too.
        return list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The fate listed for a thin line run cut off the bottom of a group (<see cref="Segmentation.DigitSegmenter.LineRuns"/>; no crop was read).</summary>
    public const string LineRunFate = "removed: thin line along the bottom of the digits (SegmentOptions.LineRunLength)";

    /// <summary>The name of a fate in the candidates list.</summary>
    public static string FateName(CandidateFate fate) => fate switch
    {
        CandidateFate.Kept => "kept",
        CandidateFate.NotADigit => "rejected: not a digit (model)",
        CandidateFate.OutsideNumberRow => "rejected: outside the number row",
        CandidateFate.CutNotTaken => "rejected: cut not taken",
        CandidateFate.WholeNotTaken => "rejected: stacked group reads better as its layers apart (a digit and a mark)",
        CandidateFate.LayerNotTaken => "rejected: layer of a stacked group that reads better whole",
        _ => fate.ToString(),
    };

    private static string WriteCandidatesImage(NumberReader reader, GrayImage source, string path)
    {
        using var bmp = new SKBitmap(source.Width, source.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (int y = 0; y < source.Height; y++)
            for (int x = 0; x < source.Width; x++)
            {
                byte v = source[x, y];
                bmp.SetPixel(x, y, new SKColor(v, v, v));
            }
        using (var canvas = new SKCanvas(bmp))
        {
            var classes = reader.Classifier.Metadata.Classes;
            foreach (var c in reader.Candidates)
            {
                var color = c.Fate switch
                {
                    CandidateFate.Kept => new SKColor(0, 170, 0),
                    CandidateFate.NotADigit => new SKColor(220, 0, 0),
                    CandidateFate.OutsideNumberRow => new SKColor(255, 140, 0),
                    _ => new SKColor(120, 120, 120),
                };
                using var paint = new SKPaint { Color = color, IsStroke = true, StrokeWidth = 2, IsAntialias = true };
                canvas.DrawRect(c.Box.X, c.Box.Y, c.Box.Width, c.Box.Height, paint);
                // The label in the stroke font (no system font needed): the digit, or a cross for 'none'.
                float size = Math.Clamp(c.Box.Height * 0.35f, 8, 24), lx = c.Box.X, ly = Math.Max(0, c.Box.Y - size - 3);
                string label = classes[c.ClassIndex];
                if (label.Length == 1 && char.IsAsciiDigit(label[0]))
                {
                    foreach (var stroke in StrokeFont.Write(label, size, lx, ly).Strokes)
                        for (int i = 1; i < stroke.Length; i++) canvas.DrawLine(stroke[i - 1].X, stroke[i - 1].Y, stroke[i].X, stroke[i].Y, paint);
                }
                else
                {
                    canvas.DrawLine(lx, ly, lx + size * 0.6f, ly + size, paint);
                    canvas.DrawLine(lx, ly + size, lx + size * 0.6f, ly, paint);
                }
            }
            using var linePaint = new SKPaint { Color = new SKColor(0, 90, 255), IsStroke = true, StrokeWidth = 2 };
            foreach (var run in reader.Segmenter.LineRuns)
            {
                var b = reader.Preprocessor.MapToSource(run);
                canvas.DrawRect(b.X, b.Y - 1, b.Width, b.Height + 2, linePaint);
            }
        }
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        using (var f = File.Create(path)) data.SaveTo(f);
        return path;
    }

    /// <summary>Writes the crops image of the last read (frame or ink).</summary>
    public static IReadOnlyList<string> WriteCrops(NumberReader reader, string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        WriteCrops(reader, directory, name, written);
        return written;
    }

    private static void WriteCrops(NumberReader reader, string directory, string name, List<string> written)
    {
        int n = reader.CropCount;
        const int Z = 4, S = DigitNormalizer.Size;
        var img = new GrayImage(Math.Max(1, n) * (S * Z + 4), S * Z);
        img.Fill(40);
        for (int i = 0; i < n; i++)
        {
            var crop = reader.Crop(i);
            for (int y = 0; y < S * Z; y++)
                for (int x = 0; x < S * Z; x++)
                    img[i * (S * Z + 4) + x, y] = crop[(y / Z) * S + x / Z];
        }
        var path = Path.Combine(directory, $"{name}.crops.png");
        GrayImageCodec.SavePng(img, path);
        written.Add(path);
    }

    private static void Outline(GrayImage img, PixelRect r, byte v)
    {
        r = r.Intersect(img.Bounds);
        if (r.IsEmpty) return;
        for (int x = r.X; x < r.Right; x++) { img[x, r.Y] = v; img[x, r.Bottom - 1] = v; }
        for (int y = r.Y; y < r.Bottom; y++) { img[r.X, y] = v; img[r.Right - 1, y] = v; }
    }
}
