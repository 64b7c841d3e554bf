using EdgeDigits.Tests.Shared;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Training.Data.Meters;

namespace EdgeDigits.Training.Tests.Meters;

public class MeterSequenceWriterTests
{
    /// <summary>A meterdigits-shaped folder: one real window per clean digit (the same photo), named as main_dig files are.</summary>
    private static string OneFamilyFolder()
    {
        var src = Directory.GetFiles(Path.Combine(RepoPaths.Samples, "meter-windows"), "*main_dig*.jpg")[0];
        var digits = RepoPaths.NewTempDir("meterdigits");
        for (int d = 0; d < 10; d++)
        {
            Directory.CreateDirectory(Path.Combine(digits, $"{d}.0"));
            File.Copy(src, Path.Combine(digits, $"{d}.0", $"{d}.0_main_dig{d}_20220601-1200{d:00}.jpg"));
        }
        return digits;
    }

    [Fact]
    public void Positions_LowestWheelRolling_OnlyItMoves() =>
        Assert.Equal([0, 0, 30, 70, 10, 40, 50, 87], MeterSequenceWriter.Positions(3714587));

    [Fact]
    public void Positions_LowerWheelsOnNine_CarryTurnsThemWithTheLowest() =>
        // 00371499.6: units and tens stand on 9 and roll with the lowest wheel; hundreds (4) rolls towards 5 by as much.
        Assert.Equal([0, 0, 30, 70, 10, 46, 96, 96], MeterSequenceWriter.Positions(3714996));

    [Fact]
    public void Write_FolderOfOneFamily_FramesLayoutAndTruthThatCountUp()
    {
        var digits = OneFamilyFolder();
        var outDir = RepoPaths.NewTempDir("sequence");
        var files = MeterSequenceWriter.Write(digits, outDir, frames: 5, family: "main_dig", seed: 3);

        Assert.Equal(8, files.Count);
        var layout = MeterLayout.Load(Path.Combine(outDir, "meter.json"));
        Assert.Equal(MeterSequenceWriter.Wheels, layout.Windows.Count);
        Assert.Equal(Path.Combine(outDir, "reference.jpg"), layout.Reference);
        var lines = File.ReadAllLines(Path.Combine(outDir, "truth.csv"));
        Assert.Equal("file,value,position", lines[0]);
        Assert.Equal("frame-0000.jpg,00371458,371458.0", lines[1]);
        var positions = lines.Skip(1).Select(l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.All(positions.Zip(positions.Skip(1)), p => Assert.InRange(p.Second - p.First, 0, MeterSequenceWriter.MaxStepTenths / 10.0 + 1e-9));
        var frame = GrayImageCodec.Decode(Path.Combine(outDir, "frame-0004.jpg"));
        Assert.Equal((640, 480), (frame.Width, frame.Height));
    }

    [Fact]
    public void Write_Burst_CapturesBesideEachFrameAndTheSameFramesAndTruthAsWithout()
    {
        var digits = OneFamilyFolder();
        var (single, burst) = (RepoPaths.NewTempDir("sequence"), RepoPaths.NewTempDir("sequence-burst"));
        MeterSequenceWriter.Write(digits, single, frames: 3, family: "main_dig", seed: 5);
        var files = MeterSequenceWriter.Write(digits, burst, frames: 3, family: "main_dig", seed: 5, burst: 3);

        Assert.Equal(2 + 3 * 3 + 1, files.Count);
        Assert.Equal(File.ReadAllText(Path.Combine(single, "truth.csv")), File.ReadAllText(Path.Combine(burst, "truth.csv")));
        for (int i = 0; i < 3; i++)
        {
            var name = $"frame-{i:0000}.jpg";
            Assert.Equal(File.ReadAllBytes(Path.Combine(single, name)), File.ReadAllBytes(Path.Combine(burst, name)));
            var first = GrayImageCodec.Decode(Path.Combine(burst, name));
            for (int b = 1; b < 3; b++)
            {
                var capture = GrayImageCodec.Decode(Path.Combine(burst, MeterSequenceFiles.BurstFrameName(name, b)));
                Assert.Equal((first.Width, first.Height), (capture.Width, capture.Height));
                // Another capture: the same face, other noise and a little shake, never the same pixels.
                Assert.NotEqual(first.Buffer, capture.Buffer);
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => MeterSequenceWriter.Write(digits, RepoPaths.NewTempDir("sequence"), 3, "main_dig", burst: 11));
    }

    [Fact]
    public void Write_FamilyNotInTheFolder_NamesIt()
    {
        var digits = RepoPaths.NewTempDir("meterdigits");
        Directory.CreateDirectory(Path.Combine(digits, "3.0"));
        File.Copy(Directory.GetFiles(Path.Combine(RepoPaths.Samples, "meter-windows"), "*main_dig*.jpg")[0], Path.Combine(digits, "3.0", "3.0_main_dig1_20220601-120000.jpg"));
        var ex = Assert.Throws<InvalidDataException>(() => MeterSequenceWriter.Write(digits, RepoPaths.NewTempDir("sequence"), 3, "roi"));
        Assert.Equal($"{digits}: no window of meter family 'roi'", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => MeterSequenceWriter.Write(digits, RepoPaths.NewTempDir("sequence"), 3, "main_dig"));
        Assert.Equal("meter family 'main_dig' has no window of digit 0", ex.Message);
    }
}
