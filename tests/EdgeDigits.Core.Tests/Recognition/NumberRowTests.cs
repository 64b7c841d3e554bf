using System.Text.Json;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Recognition;

public class NumberRowTests
{
    private static byte[] D(int i) => MnistTestSet.Image(i).ToArray();

    /// <summary>The number 721 in the middle of a wide margin, and a lone 0 pasted into the bottom-left corner.</summary>
    private static GrayImage NumberAndStrayDigit()
    {
        var frame = DigitComposer.Compose([D(0), D(1), D(2)], new Random(21), margin: 2.5);
        var lone = DigitComposer.Compose([D(3)], new Random(22), margin: 0.2);
        int oy = frame.Height - lone.Height;
        for (int y = 0; y < lone.Height; y++)
            for (int x = 0; x < Math.Min(lone.Width, frame.Width); x++)
                frame[x, oy + y] = Math.Min(frame[x, oy + y], lone[x, y]);
        return frame;
    }

    [Fact]
    public void ReadInto_StrayDigitOffTheRow_ReadsOnlyTheNumber()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var reader = new NumberReader(c);
        var frame = NumberAndStrayDigit();
        Assert.Equal("721", reader.Read(frame).Text);
        Assert.Contains(reader.Candidates.ToArray(), k => k.Fate == CandidateFate.OutsideNumberRow);

        reader.Options = new NumberReaderOptions { Row = NumberRowOptions.Off };
        Assert.Equal(4, reader.Read(frame).Count);
    }

    [Fact]
    public void WriteFrame_Candidates_ListsEachWithItsFate()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var reader = new NumberReader(c);
        var frame = NumberAndStrayDigit();
        reader.Read(frame);
        var dir = Path.Combine(Path.GetTempPath(), "edgedigits-candidates-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = ReadingDebugWriter.WriteFrame(reader, dir, "f.png", frame);
            Assert.Contains(Path.Combine(dir, "f.png.candidates.png"), files);
            var overlay = GrayImageCodec.Decode(Path.Combine(dir, "f.png.candidates.png"));
            Assert.Equal(frame.Width, overlay.Width);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "f.png.candidates.json")));
            var fates = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("fate").GetString()).ToList();
            Assert.Equal(3, fates.Count(f => f == "kept"));
            Assert.Contains("rejected: outside the number row", fates);
        }
        finally { Directory.Delete(dir, true); }
    }
}
