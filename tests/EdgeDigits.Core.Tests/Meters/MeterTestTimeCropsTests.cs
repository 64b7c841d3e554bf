using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Tests.TestInfrastructure;
using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Core.Tests.Meters;

/// <summary>Test-time averaging of the meter wheel model: moved cuts of each window, read in one batch, probabilities averaged.</summary>
public sealed class MeterTestTimeCropsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(6)]
    public void Constructor_CountNotOneThreeOrFive_ThrowsNamingTheAllowedCounts(int count)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MeterTestTimeCrops(count));
        Assert.StartsWith($"test-time crops must be 1, 3, 5 (got {count})", e.Message);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.5f)]
    [InlineData(2.5f)]
    [InlineData(float.NaN)]
    public void Constructor_ShiftOutsideRange_Throws(float shift)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MeterTestTimeCrops(3, shift));
        Assert.StartsWith("test-time crop shift must be within (0, 2] model-input pixels", e.Message);
    }

    [Fact]
    public void Shifts_FiveCuts_WindowThenSidewaysThenUpAndDown()
    {
        var crops = new MeterTestTimeCrops(5, 0.75f);
        Assert.Equal([new(0, 0), new(-0.75f, 0), new(0.75f, 0), new(0, -0.75f), new(0, 0.75f)], crops.Shifts.ToArray());
        Assert.Equal([new CropShift(0, 0)], MeterTestTimeCrops.None.Shifts.ToArray());
    }

    [Fact]
    public void Average_TwoWindowsThreeCuts_MeanOfEachWindowsCutsPerClass()
    {
        // Rows: window 0 cuts (1,0,0) (0,1,0) (0,0.5,0.5); window 1 cuts (0,0,1) x 3.
        float[] p = [1, 0, 0, 0, 1, 0, 0, 0.5f, 0.5f, 0, 0, 1, 0, 0, 1, 0, 0, 1];
        var dst = new float[6];
        new MeterTestTimeCrops(3).Average(p, 2, 3, dst);
        Assert.Equal([1 / 3f, 0.5f, 1 / 6f, 0, 0, 1], dst, (a, b) => Math.Abs(a - b) < 1e-6);
        var e = Assert.Throws<ArgumentException>(() => new MeterTestTimeCrops(3).Average(p.AsSpan(0, 17), 2, 3, dst));
        Assert.StartsWith("17 probabilities for 2 windows x 3 cuts x 3 classes", e.Message);
    }

    /// <summary>A 70x50 frame whose pixel (x, y) is (x * 7 + y * 3) % 251: no two neighbours alike.</summary>
    private static GrayImage Ramp()
    {
        var img = new GrayImage(70, 50);
        for (var y = 0; y < 50; y++)
            for (var x = 0; x < 70; x++) img[x, y] = (byte)((x * 7 + y * 3) % 251);
        return img;
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(-2, 0)]
    [InlineData(0, 3)]
    [InlineData(-1, -1)]
    public void Normalize_ShiftedByWholeInputPixels_EqualsTheWindowMovedInTheFrame(int dx, int dy)
    {
        // A 56x28 window: one input pixel is 2 frame pixels across and 1 down.
        var frame = Ramp();
        var moved = new byte[MeterWindowNormalizer.Pixels];
        var expected = new byte[MeterWindowNormalizer.Pixels];
        MeterWindowNormalizer.Normalize(frame, new PixelRect(6, 10, 56, 28), new CropShift(dx, dy), moved);
        MeterWindowNormalizer.Normalize(frame, new PixelRect(6 + 2 * dx, 10 + dy, 56, 28), expected);
        Assert.Equal(expected, moved);
    }

    [Fact]
    public void Normalize_CutMovedPastTheFrameEdge_RepeatsTheEdgePixels()
    {
        // Columns get darker to the right; the 28x28 window is the whole frame, moved 2 input pixels left.
        var frame = new GrayImage(28, 28);
        for (var y = 0; y < 28; y++)
            for (var x = 0; x < 28; x++) frame[x, y] = (byte)(243 - 9 * x);
        var dst = new byte[MeterWindowNormalizer.Pixels];
        MeterWindowNormalizer.Normalize(frame, frame.Bounds, new CropShift(-2, 0), dst);
        for (var y = 0; y < 28; y++)
        {
            Assert.Equal(255, dst[y * 28]);
            Assert.Equal(255, dst[y * 28 + 1]);
            Assert.Equal(255, dst[y * 28 + 2]);
            Assert.True(dst[y * 28 + 3] < 255);
        }
    }

    [Fact]
    public void Read_ThreeCuts_DecodesTheMeanOfTheThreeCutsReadAlone()
    {
        var (face, layout) = MeterFaces.Sample();
        var windows = layout.Windows.ToArray();
        var model = ModelLocator.Resolve(null, ModelLocator.MeterNames);
        var crops = new MeterTestTimeCrops(3, 1f);
        using var averaging = new MeterWindowReader(model, maxWindows: windows.Length, crops: crops);
        using var single = new MeterWindowReader(model, maxWindows: 1, crops: MeterTestTimeCrops.None);
        var read = new RollingDigit[windows.Length];
        averaging.Read(face, windows, read);

        var cut = new byte[MeterWindowNormalizer.Pixels];
        var mean = new float[TenthsDecoder.Classes];
        bool anyCutDisagrees = false;
        for (int i = 0; i < windows.Length; i++)
        {
            Array.Clear(mean);
            float? first = null;
            foreach (var shift in crops.Shifts)
            {
                MeterWindowNormalizer.Normalize(face, windows[i], shift, cut);
                var p = single.Probabilities(cut, 1);
                for (int c = 0; c < mean.Length; c++) mean[c] += p[c] / crops.Count;
                var alone = single.Decoder.Decode(p).Value;
                anyCutDisagrees |= first is { } f && MathF.Abs(f - alone) > 1e-4f;
                first ??= alone;
            }
            var expected = averaging.Decoder.Decode(mean);
            Assert.Equal(expected.Text, read[i].Text);
            Assert.Equal(expected.Value, read[i].Value, 1e-4f);
            Assert.Equal(expected.Confidence, read[i].Confidence, 1e-4f);
        }
        Assert.True(anyCutDisagrees, "the moved cuts should give the model something different to read");
    }

    [Fact]
    public void Constructor_MetadataAsksForThreeCuts_ReadsThreeCuts_BadCountRefused()
    {
        var model = ModelLocator.Resolve(null, ModelLocator.MeterNames);
        var dir = RepoPaths.NewTempDir("meter-tta");
        try
        {
            ReadsTheMetadatasCuts(model, Path.Combine(dir, "meter-int8.onnx"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void ReadsTheMetadatasCuts(string model, string copy)
    {
        File.Copy(model, copy);
        var meta = ModelMetadata.LoadFor(model);
        meta.TestTimeCrops = 3;
        meta.Save(ModelMetadata.PathFor(copy));
        using (var reader = new MeterWindowReader(copy, maxWindows: 2))
            Assert.Equal(3, reader.Crops.Count);
        using (var reader = new MeterWindowReader(copy, maxWindows: 2, crops: MeterTestTimeCrops.None))
            Assert.Equal(1, reader.Crops.Count);

        var json = File.ReadAllText(ModelMetadata.PathFor(copy)).Replace("\"testTimeCrops\": 3", "\"testTimeCrops\": 4");
        File.WriteAllText(ModelMetadata.PathFor(copy), json);
        var e = Assert.Throws<ModelLoadException>(() => new MeterWindowReader(copy, maxWindows: 2));
        Assert.Contains("testTimeCrops applies to 'meter-tenths' models and must be 1, 3, 5 (got 4)", e.Message);
    }

    [Fact]
    public void Constructor_MetadataConfidenceMeasure_SetsTheDecoders_BadNameRefused()
    {
        var model = ModelLocator.Resolve(null, ModelLocator.MeterNames);
        var dir = RepoPaths.NewTempDir("meter-confidence");
        try
        {
            var copy = Path.Combine(dir, "meter-int8.onnx");
            File.Copy(model, copy);
            File.Copy(ModelMetadata.PathFor(model), ModelMetadata.PathFor(copy));
            using (var reader = new MeterWindowReader(copy, maxWindows: 1))
                Assert.Equal(TenthsConfidence.Mass, reader.Decoder.Confidence); // the shipped metadata is silent: mass
            var meta = ModelMetadata.LoadFor(model);
            meta.ConfidenceMeasure = "rival";
            meta.Save(ModelMetadata.PathFor(copy));
            using (var reader = new MeterWindowReader(copy, maxWindows: 1))
                Assert.Equal(TenthsConfidence.Rival, reader.Decoder.Confidence);

            File.WriteAllText(ModelMetadata.PathFor(copy), File.ReadAllText(ModelMetadata.PathFor(copy)).Replace("\"confidenceMeasure\": \"rival\"", "\"confidenceMeasure\": \"margin\""));
            var e = Assert.Throws<ModelLoadException>(() => new MeterWindowReader(copy, maxWindows: 1));
            Assert.Contains("confidenceMeasure applies to 'meter-tenths' models and must be mass or rival (got 'margin')", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
