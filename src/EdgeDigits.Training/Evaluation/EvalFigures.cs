using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;
using SkiaSharp;

namespace EdgeDigits.Training.Evaluation;

/// <summary>PNG figures of an evaluation: confusion-matrix heat map and a gallery of misclassified samples.</summary>
public static class EvalFigures
{
    private static readonly Lazy<SKTypeface?> Typeface = new(LoadTypeface);

    /// <summary>
    /// A TTF from the system font folders (DejaVu Sans first). SkiaSharp's default typeface draws
    /// nothing where no system fonts are visible, so labels need a font loaded from a file.
    /// </summary>
    public static SKTypeface? LabelTypeface => Typeface.Value;

    private static SKTypeface? LoadTypeface()
    {
        string[] preferred = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "FreeSans.ttf"];
        foreach (var dir in FontCatalog.DefaultDirectories.Where(Directory.Exists))
            foreach (var f in preferred)
            {
                var p = Path.Combine(dir, f);
                if (File.Exists(p) && SKTypeface.FromFile(p) is { } tf) return tf;
            }
        return null;
    }

    /// <summary>Writes the confusion matrix as a heat map (rows: true class, columns: predicted; colour: row share) with counts.</summary>
    public static void ConfusionHeatmap(ClassificationMetrics metrics, string title, string path)
    {
        var k = metrics.Classes.Length;
        const int cell = 40, left = 70, top = 70, margin = 20;
        int width = left + k * cell + margin, height = top + k * cell + 50;
        using var bmp = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var c = new SKCanvas(bmp))
        {
            c.Clear(SKColors.White);
            using var font = new SKFont(LabelTypeface, 13);
            using var small = new SKFont(LabelTypeface, 11);
            using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var light = new SKPaint { Color = SKColors.White, IsAntialias = true };
            using var fill = new SKPaint();
            c.DrawText(title, margin, 22, SKTextAlign.Left, font, text);
            c.DrawText("predicted →", left, top - 30, SKTextAlign.Left, small, text);
            c.DrawText("true ↓", 8, top - 8, SKTextAlign.Left, small, text);
            for (var r = 0; r < k; r++)
            {
                var rowSum = Math.Max(1, metrics.Confusion[r].Sum());
                c.DrawText(metrics.Classes[r], left - 10, top + r * cell + cell / 2 + 5, SKTextAlign.Right, font, text);
                c.DrawText(metrics.Classes[r], left + r * cell + cell / 2, top - 8, SKTextAlign.Center, font, text);
                for (var col = 0; col < k; col++)
                {
                    var v = metrics.Confusion[r][col];
                    // sqrt makes rare confusions visible next to the ~99% diagonal.
                    var share = Math.Sqrt(v / (double)rowSum);
                    var shade = (byte)(255 - 215 * share);
                    fill.Color = r == col ? new SKColor(shade, (byte)(255 - 120 * share), shade) : new SKColor(255, shade, shade);
                    c.DrawRect(left + col * cell, top + r * cell, cell - 1, cell - 1, fill);
                    if (v > 0)
                        c.DrawText(v.ToString(), left + col * cell + cell / 2, top + r * cell + cell / 2 + 4, SKTextAlign.Center, small, share > 0.6 ? light : text);
                }
            }
            c.DrawText($"accuracy {metrics.Accuracy:P2} on {metrics.Count} images, macro F1 {metrics.MacroF1:F4}", margin, height - 18, SKTextAlign.Left, small, text);
        }
        Save(bmp, path);
    }

    /// <summary>Writes up to <paramref name="max"/> misclassified samples, each captioned "t:true p:pred confidence".</summary>
    /// <returns>How many misclassified samples there are in all.</returns>
    public static int MisclassifiedGallery(DigitSet data, ModelEvaluation eval, string title, string path, int max)
    {
        var allWrong = Enumerable.Range(0, data.Count).Where(i => eval.Truth[i] != eval.Predicted[i]).ToArray();
        var classes = eval.Metrics.Classes;
        Gallery(data, allWrong.Take(max).ToArray(), i => $"t:{classes[eval.Truth[i]]} p:{classes[eval.Predicted[i]]} {eval.Confidence[i]:0.00}",
            allWrong.Length == 0 ? $"{title}: no misclassified samples" : $"{title}: {allWrong.Length} misclassified (first {Math.Min(max, allWrong.Length)} shown)", path);
        return allWrong.Length;
    }

    /// <summary>Writes the samples <paramref name="indices"/> of <paramref name="data"/> as a captioned grid (10 per row, 3x scale) under <paramref name="title"/>.</summary>
    public static void Gallery(DigitSet data, IReadOnlyList<int> indices, Func<int, string> caption, string title, string path)
    {
        const int scale = 3, tile = 28 * scale, captionH = 16, pad = 6, cols = 10;
        var rows = Math.Max(1, (indices.Count + cols - 1) / cols);
        int width = cols * (tile + pad) + pad, height = 34 + rows * (tile + captionH + pad);
        using var bmp = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var c = new SKCanvas(bmp))
        {
            c.Clear(SKColors.White);
            using var font = new SKFont(LabelTypeface, 13);
            using var small = new SKFont(LabelTypeface, 11);
            using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var red = new SKPaint { Color = new SKColor(200, 0, 0), IsAntialias = true };
            c.DrawText(title, pad, 20, SKTextAlign.Left, font, text);
            using var digit = new SKBitmap(28, 28, SKColorType.Gray8, SKAlphaType.Opaque);
            for (var j = 0; j < indices.Count; j++)
            {
                var i = indices[j];
                data.Image(i).CopyTo(digit.GetPixelSpan());
                int x = pad + j % cols * (tile + pad), y = 30 + j / cols * (tile + captionH + pad);
                using var img = SKImage.FromBitmap(digit);
                c.DrawImage(img, new SKRect(x, y, x + tile, y + tile), new SKSamplingOptions(SKFilterMode.Nearest));
                c.DrawText(caption(i), x, y + tile + 12, SKTextAlign.Left, small, red);
            }
        }
        Save(bmp, path);
    }

    private static void Save(SKBitmap bmp, string path)
    {
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        EdgeDigits.Core.AtomicFile.WriteAllBytes(path, data.AsSpan());
    }
}
