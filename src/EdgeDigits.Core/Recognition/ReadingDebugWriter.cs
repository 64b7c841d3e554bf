using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Recognition;

/// <summary>
/// Writes the intermediate images of the last read of a <see cref="NumberReader"/> so a person can see
/// why a reading went wrong: <c>NAME.ink.png</c> (background-flattened ink), <c>NAME.threshold.png</c>
/// (binary mask), <c>NAME.components.png</c> (each digit group in its own gray, dropped specks dim,
/// digit boxes outlined) and <c>NAME.crops.png</c> (the 28x28 model inputs side by side, 4x enlarged).
/// </summary>
public static class ReadingDebugWriter
{
    /// <summary>Writes the frame debug images of <paramref name="reader"/>'s last frame read into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> WriteFrame(NumberReader reader, string directory, string name)
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
        return written;
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
