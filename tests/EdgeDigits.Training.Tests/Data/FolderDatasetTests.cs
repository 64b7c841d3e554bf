using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using SkiaSharp;

namespace EdgeDigits.Training.Tests.Data;

public sealed class FolderDatasetTests
{
    /// <summary>Writes a w x h PNG: background <paramref name="bg"/>, a vertical bar of <paramref name="ink"/>.</summary>
    internal static void WritePng(string path, int w, int h, byte bg, byte ink, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bmp = new SKBitmap(w, h, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var c = new SKCanvas(bmp))
        {
            c.Clear(new SKColor(bg, bg, bg));
            using var p = new SKPaint { Color = new SKColor(ink, ink, ink) };
            c.DrawRect(w / 2 - 2, h / 4, 4, h / 2, p);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = bmp.Encode(format, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    [Fact]
    public void Load_DarkInkOnLight28x28_InvertsToWhiteOnBlack()
    {
        var dir = RepoPaths.NewTempDir();
        WritePng(Path.Combine(dir, "1", "a.png"), 28, 28, bg: 255, ink: 0);
        WritePng(Path.Combine(dir, "7", "b.png"), 28, 28, bg: 0, ink: 255);
        File.WriteAllText(Path.Combine(dir, "7", "notes.txt"), "ignored");
        var set = FolderDataset.Load(dir);
        Assert.Equal(2, set.Count);
        Assert.Equal([1, 7], set.Labels);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(0, set.Image(i)[0]);
            Assert.Equal(255, set.Image(i)[14 * 28 + 14]);
        }
    }

    [Fact]
    public void Load_NoneFolder_AddsNoneClass()
    {
        var dir = RepoPaths.NewTempDir();
        WritePng(Path.Combine(dir, "none", "a.png"), 28, 28, 0, 255);
        WritePng(Path.Combine(dir, "3", "a.jpg"), 28, 28, 0, 255, SKEncodedImageFormat.Jpeg);
        var set = FolderDataset.Load(dir);
        Assert.Equal(11, set.ClassNames.Length);
        Assert.Equal([3, 10], set.Labels);
    }

    [Fact]
    public void Load_UnknownLabelFolder_ThrowsNamingIt()
    {
        var dir = RepoPaths.NewTempDir();
        WritePng(Path.Combine(dir, "12", "a.png"), 28, 28, 0, 255);
        var ex = Assert.Throws<InvalidDataException>(() => FolderDataset.Load(dir));
        Assert.Contains("unknown label folder '12'", ex.Message);
    }

    [Fact]
    public void Load_CorruptImage_ThrowsNamingFile()
    {
        var dir = RepoPaths.NewTempDir();
        var bad = Path.Combine(dir, "4", "bad.png");
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        File.WriteAllBytes(bad, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var ex = Assert.Throws<InvalidDataException>(() => FolderDataset.Load(dir));
        Assert.Contains(bad, ex.Message);
    }

    [Fact]
    public void Load_EmptyFolder_Throws()
    {
        var dir = RepoPaths.NewTempDir();
        Directory.CreateDirectory(Path.Combine(dir, "5"));
        var ex = Assert.Throws<InvalidDataException>(() => FolderDataset.Load(dir));
        Assert.Contains("no images", ex.Message);
    }

    [Fact]
    public void Load_LargerImage_UsesNormalizer()
    {
        var dir = RepoPaths.NewTempDir();
        WritePng(Path.Combine(dir, "2", "a.png"), 64, 48, 255, 0);
        (int W, int H, byte Centre) seen = default;
        var set = FolderDataset.Load(dir, normalizer: (g, w, h) => { seen = (w, h, g[24 * 64 + 32]); return new byte[784]; });
        Assert.Equal((64, 48, (byte)255), seen);
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void Load_LargerImage_NormalizedToMnistLayout()
    {
        var dir = RepoPaths.NewTempDir();
        WritePng(Path.Combine(dir, "1", "a.png"), 100, 80, bg: 240, ink: 10);
        var set = FolderDataset.Load(dir);
        var img = set.Image(0);
        long mass = 0, mx = 0, my = 0;
        var rows = new HashSet<int>();
        for (var y = 0; y < 28; y++)
            for (var x = 0; x < 28; x++)
            {
                var v = img[y * 28 + x];
                mass += v; mx += v * x; my += v * y;
                if (v > 0) rows.Add(y);
            }
        Assert.InRange(mx / (double)mass, 13.0, 15.0);
        Assert.InRange(my / (double)mass, 13.0, 15.0);
        Assert.Equal(20, rows.Count); // the bar's longer side is scaled to 20 px
    }

    [Fact]
    public void Load_BlankLargerImage_ThrowsNoInk()
    {
        var dir = RepoPaths.NewTempDir();
        WritePng(Path.Combine(dir, "1", "a.png"), 40, 40, bg: 255, ink: 255);
        var ex = Assert.Throws<InvalidDataException>(() => FolderDataset.Load(dir));
        Assert.Contains("no ink", ex.Message);
    }
}
