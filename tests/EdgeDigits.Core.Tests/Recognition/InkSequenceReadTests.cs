using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Core.Tests.TestInfrastructure;
using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Core.Tests.Recognition;

/// <summary>The ink sequence model read beside the image model on inks (<see cref="NumberReader"/>'s blend).</summary>
public class InkSequenceReadTests
{
    private static Ink Sample(string name) => Ink.Load(Path.Combine(RepoPaths.Samples, "ink", name));

    [Theory]
    [InlineData("2024.json")]
    [InlineData("31415.json")]
    [InlineData("90210.json")]
    [InlineData("7.json")]
    public void Read_SampleInkWithSequenceModel_ReadsItsLabel(string name)
    {
        using var image = new DigitClassifier(TestModels.Default);
        using var sequence = new DigitClassifier(TestModels.InkSequence);
        var ink = Sample(name);
        Assert.Equal(ink.Label, new NumberReader(image, null, sequence).Read(ink).Text);
    }

    [Fact]
    public void Read_StrokeFontDigitsWithSequenceModel_EveryDigitAtEverySizeReadsRight()
    {
        using var image = new DigitClassifier(TestModels.Default);
        using var sequence = new DigitClassifier(TestModels.InkSequence);
        var reader = new NumberReader(image, null, sequence);
        foreach (var height in new[] { 40f, 80f, 120f })
        {
            for (char d = '0'; d <= '9'; d++)
                Assert.Equal(d.ToString(), reader.Read(StrokeFont.Write(d.ToString(), height, 20, 20, 320, 240)).Text);
            Assert.Equal("0123456789", reader.Read(StrokeFont.Write("0123456789", height / 2, 10, 20, 640, 240)).Text);
        }
    }

    [Fact]
    public void Read_SequenceWeightZero_SameScoresAsTheImageModelAlone()
    {
        using var image = new DigitClassifier(TestModels.Default);
        using var sequence = new DigitClassifier(TestModels.InkSequence);
        var ink = Sample("31415.json");
        var alone = new NumberReader(image).Read(ink);
        var zero = new NumberReader(image, new NumberReaderOptions { SequenceWeight = 0 }, sequence).Read(ink);
        Assert.Equal(alone.Count, zero.Count);
        for (int i = 0; i < alone.Count; i++) Assert.Equal(alone.ScoresOf(i).ToArray(), zero.ScoresOf(i).ToArray());
    }

    [Fact]
    public void Read_Blend_DigitsTakeTheSequenceShareAndTheRejectShareStays()
    {
        using var image = new DigitClassifier(TestModels.Default);
        using var sequence = new DigitClassifier(TestModels.InkSequence);
        var ink = Sample("7.json");
        var alone = new NumberReader(image).Read(ink).ScoresOf(0).ToArray();
        var one = new NumberReader(image, new NumberReaderOptions { SequenceWeight = 1 }, sequence).Read(ink).ScoresOf(0).ToArray();
        var half = new NumberReader(image, new NumberReaderOptions { SequenceWeight = 0.5f }, sequence).Read(ink).ScoresOf(0).ToArray();
        int none = image.RejectIndex;
        Assert.Equal(alone[none], half[none]);
        Assert.Equal(alone[none], one[none]);
        Assert.Equal(1f, half.Sum(), 4);
        // The half blend is the average of the image model alone and the sequence model alone, digit by digit.
        for (int k = 0; k < half.Length; k++) Assert.Equal((alone[k] + one[k]) / 2, half[k], 5);
        Assert.NotEqual(alone, one);
    }

    [Fact]
    public void ReadInto_InkWithSequenceModel_AllocatesNothing()
    {
        using var image = new DigitClassifier(TestModels.Default);
        using var sequence = new DigitClassifier(TestModels.InkSequence);
        var reader = new NumberReader(image, null, sequence);
        var ink = Sample("90210.json");
        var result = new Reading();
        Assert.Equal(0, Allocations.SteadyState(() => reader.ReadInto(ink, result)));
        Assert.Equal("90210", result.Text);
    }

    [Fact]
    public void NumberReader_ModelsOfTheWrongKind_RefusedWithTheReason()
    {
        using var image = new DigitClassifier(TestModels.Default);
        using var sequence = new DigitClassifier(TestModels.InkSequence);
        Assert.Contains("reads ink strokes, not images", Assert.Throws<ArgumentException>(() => new NumberReader(sequence)).Message);
        Assert.Contains("not an ink sequence model", Assert.Throws<ArgumentException>(() => new NumberReader(image, null, image)).Message);
    }

    [Fact]
    public void DigitClassifier_InputsOfTheWrongKind_RefusedWithTheReason()
    {
        using var image = new DigitClassifier(TestModels.Default);
        using var sequence = new DigitClassifier(TestModels.InkSequence);
        Assert.Equal(InkSequenceFeatures.Channels * InkSequenceFeatures.DefaultLength, sequence.PixelsPerCrop);
        Assert.Contains("reads ink points", Assert.Throws<InvalidOperationException>(() => sequence.SetInput(0, new byte[784])).Message);
        Assert.Contains("reads image crops", Assert.Throws<InvalidOperationException>(() => image.SetFeatures(0, new float[320])).Message);
        Assert.Contains("320", Assert.Throws<ArgumentException>(() => sequence.SetFeatures(0, new float[319])).Message);
    }

    [Fact]
    public void Metadata_InkSequenceWithAnImageShape_Refused()
    {
        var meta = new ModelMetadata { Kind = ModelMetadata.InkSequenceKind, InputShape = [-1, 1, 28, 28] };
        Assert.Contains("[N,5,1,L]", Assert.Throws<InvalidDataException>(() => meta.Validate("m.json")).Message);
        new ModelMetadata { Kind = ModelMetadata.InkSequenceKind, InputShape = [-1, 5, 1, 64] }.Validate("m.json");
        var image = new ModelMetadata { InputShape = [-1, 5, 1, 64] };
        Assert.Contains("[N,1,H,W]", Assert.Throws<InvalidDataException>(() => image.Validate("m.json")).Message);
    }
}
