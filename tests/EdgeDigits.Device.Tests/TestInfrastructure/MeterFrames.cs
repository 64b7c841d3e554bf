using EdgeDigits.Core.Imaging;
using EdgeDigits.Device.Configuration;

namespace EdgeDigits.Device.Tests.TestInfrastructure;

/// <summary>Meter frames composed of the real digit windows in samples/meter-windows (file names start with the wheel position).</summary>
internal static class MeterFrames
{
    /// <summary>A dark 160x60 panel with the sample windows of <paramref name="labels"/> side by side, 4 px apart, from x = 10, y = 14.</summary>
    public static (byte[] Png, List<RectOptions> Windows) Frame(params string[] labels)
    {
        var frame = new GrayImage(160, 60);
        frame.Fill(25);
        var windows = new List<RectOptions>();
        var x = 10;
        foreach (var label in labels)
        {
            var file = Directory.GetFiles(Path.Combine(RepoPaths.Samples, "meter-windows"), label + "_*.jpg").First();
            var w = GrayImageCodec.Decode(file);
            for (var yy = 0; yy < w.Height; yy++)
                for (var xx = 0; xx < w.Width; xx++) frame[x + xx, 14 + yy] = w[xx, yy];
            windows.Add(new RectOptions { X = x, Y = 14, Width = w.Width, Height = w.Height });
            x += w.Width + 4;
        }
        return (GrayImageCodec.EncodePng(frame), windows);
    }

    /// <summary>A folder of frames (frame000.png, …), one per entry of <paramref name="rows"/>; returns it with the windows of the first.</summary>
    public static (string Folder, List<RectOptions> Windows) Folder(params string[][] rows)
    {
        var dir = RepoPaths.NewTempDir("meter-frames");
        List<RectOptions>? windows = null;
        for (var i = 0; i < rows.Length; i++)
        {
            var (png, w) = Frame(rows[i]);
            windows ??= w;
            File.WriteAllBytes(Path.Combine(dir, $"frame{i:000}.png"), png);
        }
        return (dir, windows!);
    }
}
