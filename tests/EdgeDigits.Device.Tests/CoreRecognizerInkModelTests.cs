using EdgeDigits.Core.Inks;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Tests;

/// <summary>The device's recognizer with the ink sequence model beside the image model (Model:InkModel).</summary>
public class CoreRecognizerInkModelTests
{
    private static string Image => Path.Combine(RepoPaths.Root, "models", "digits-int8.onnx");

    private static string Sequence => Path.Combine(RepoPaths.Root, "models", "inkseq-fp32.onnx");

    [Fact]
    public void ReadInk_WithInkModel_ReadsTheSampleAndBlendsTheScores()
    {
        var ink = Ink.Load(Path.Combine(RepoPaths.Samples, "ink", "31415.json"));
        using var alone = RecognizerFactory.Load(1)(Image);
        using var both = RecognizerFactory.Load(1, Sequence)(Image);
        var a = alone.ReadInk(ink);
        var b = both.ReadInk(ink);
        Assert.Equal("31415", b.Text);
        Assert.Equal(a.Digits.Count, b.Digits.Count);
        Assert.Contains(Enumerable.Range(0, b.Digits.Count), i => a.Digits[i].Confidence != b.Digits[i].Confidence);
    }

    [Fact]
    public void Load_ImageModelAsInkModel_FailsWithTheReason()
    {
        var e = Assert.Throws<InvalidDataException>(() => RecognizerFactory.Load(1, Image)(Image));
        Assert.Contains("not an ink sequence model", e.Message);
    }
}
