#:project ../../src/EdgeDigits.Training/EdgeDigits.Training.csproj
// A camera-like stress copy of a 16x16 USPS folder dataset, made without PaperAugmenter's code: 4x bilinear
// upscale (the digit as a camera frame would hold it), grey paper and dark-grey ink, light falling off by 40%
// across a random direction (fixed seed), real JPEG at quality 30 (SkiaSharp). Writes DST/<label>/*.jpg.
//   dotnet run tools/scripts/usps-camera-stress.cs -- data/usps/val out/usps-val-camera
//   edgedigits eval --model models/digits-int8.onnx --data out/usps-val-camera
using SkiaSharp;
using EdgeDigits.Training.Data;
var src = args[0]; var dst = args[1];
var rng = new Random(7);
foreach (var classDir in Directory.GetDirectories(src))
{
    var outDir = Path.Combine(dst, Path.GetFileName(classDir));
    Directory.CreateDirectory(outDir);
    foreach (var file in Directory.GetFiles(classDir, "*.png").Order(StringComparer.Ordinal))
    {
        var (gray, w, h) = FolderDataset.DecodeGray(file);
        const int S = 64;
        var up = new byte[S * S];
        var angle = rng.NextDouble() * 2 * Math.PI;
        for (var y = 0; y < S; y++)
            for (var x = 0; x < S; x++)
            {
                double sx = Math.Clamp((x + 0.5) * w / S - 0.5, 0, w - 1), sy = Math.Clamp((y + 0.5) * h / S - 0.5, 0, h - 1);
                int x0 = Math.Min((int)sx, w - 2), y0 = Math.Min((int)sy, h - 2);
                double fx = sx - x0, fy = sy - y0;
                double v = (1 - fy) * ((1 - fx) * gray[y0 * w + x0] + fx * gray[y0 * w + x0 + 1]) + fy * ((1 - fx) * gray[(y0 + 1) * w + x0] + fx * gray[(y0 + 1) * w + x0 + 1]);
                // grey paper (0.85) and dark-grey ink (0.15 of white), lit from one side.
                var refl = 0.15 + 0.70 * v / 255.0;
                var t = 0.5 + 0.5 * ((x - 31.5) * Math.Cos(angle) + (y - 31.5) * Math.Sin(angle)) / (31.5 * (Math.Abs(Math.Cos(angle)) + Math.Abs(Math.Sin(angle))));
                var light = 1.0 - 0.4 * t;
                up[y * S + x] = (byte)Math.Clamp(Math.Round(255 * refl * light), 0, 255);
            }
        using var bmp = new SKBitmap(new SKImageInfo(S, S, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(up, 0, bmp.GetPixels(), up.Length);
        using var img = SKImage.FromBitmap(bmp);
        using var data = img.Encode(SKEncodedImageFormat.Jpeg, 30);
        File.WriteAllBytes(Path.Combine(outDir, Path.GetFileNameWithoutExtension(file) + ".jpg"), data.ToArray());
    }
}
Console.WriteLine($"wrote {dst}");
