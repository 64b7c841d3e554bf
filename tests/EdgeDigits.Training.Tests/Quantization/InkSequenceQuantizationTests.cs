using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Quantization;
using EdgeDigits.Training.Tests.TestInfrastructure;

namespace EdgeDigits.Training.Tests.Quantization;

/// <summary>int8 of the ink sequence model: calibrated on real pen inks read by the device's feature builder.</summary>
public sealed class InkSequenceQuantizationTests
{
    private static string ShippedFp32 => Path.Combine(RepoPaths.Models, "inkseq-fp32.onnx");

    /// <summary>The shipped fp32 ink model and its metadata copied into a temp folder (training writers 1-24 recorded).</summary>
    private static string CopyFp32(out string dir)
    {
        dir = RepoPaths.NewTempDir();
        var fp32 = Path.Combine(dir, "inkseq-fp32.onnx");
        File.Copy(ShippedFp32, fp32);
        File.Copy(Path.Combine(RepoPaths.Models, "inkseq.json"), Path.Combine(dir, "inkseq.json"));
        return fp32;
    }

    /// <summary>Each digit's probabilities from <paramref name="model"/> in a real ONNX Runtime session, read from its strokes as the device reads them.</summary>
    private static float[][] Probabilities(string model, IReadOnlyList<PenDigit> digits)
    {
        using var c = new DigitClassifier(model);
        var f = new InkSequenceFeatures(c.Metadata.InputShape[3]);
        var x = new float[f.Size];
        return digits.Select(d =>
        {
            f.Extract(d.Ink, x);
            c.SetFeatures(0, x);
            return c.Run(1).ToArray();
        }).ToArray();
    }

    private static void AssertAgree(float[][] fp32, float[][] int8, IReadOnlyList<PenDigit> digits, float maxDifference)
    {
        for (int i = 0; i < digits.Count; i++)
        {
            var d = digits[i];
            Assert.True(DigitClassifier.ArgMax(fp32[i]) == DigitClassifier.ArgMax(int8[i]),
                $"writer {d.Writer} digit {d.Digit}: fp32 reads {DigitClassifier.ArgMax(fp32[i])}, int8 {DigitClassifier.ArgMax(int8[i])}");
            for (int k = 0; k < fp32[i].Length; k++)
                Assert.True(Math.Abs(fp32[i][k] - int8[i][k]) <= maxDifference, $"writer {d.Writer} digit {d.Digit} class {k}: fp32 {fp32[i][k]:F3}, int8 {int8[i][k]:F3}");
        }
    }

    [Fact]
    public void QuantizeFile_InkSequenceModel_CalibratesOnItsTrainingWritersInksAndAgreesWithFp32OnAnotherWriter()
    {
        var fp32 = CopyFp32(out var dir);
        var int8 = Path.Combine(dir, "inkseq-int8.onnx");
        var log = new StringWriter();
        var result = ModelQuantizationService.QuantizeFile(fp32, int8, PenFixtures.NewSetDir(), 500, new QuantizationOptions(), log);

        // The metadata says writers 1-24 trained it: of the fixture's writers 1 and 25, only writer 1's ten digits calibrate.
        Assert.Contains("on 10 inks", log.ToString());
        Assert.Equal("1-24", (string?)ModelMetadata.Load(Path.Combine(dir, "inkseq.json")).Calibration!["penWriters"]);
        Assert.Empty(result.Warnings);
        var ops = OrtGraphInspector.OptimizedOpCounts(int8);
        Assert.Equal(4, ops.GetValueOrDefault("QLinearConv"));
        Assert.False(ops.ContainsKey("Conv"), string.Join(",", ops.Keys));

        var writer25 = UnipenReader.Load(PenFixtures.PlainText).Where(d => d.Writer == 25).ToList();
        Assert.Equal(6, writer25.Count);
        AssertAgree(Probabilities(fp32, writer25), Probabilities(int8, writer25), writer25, maxDifference: 0.1f);
    }

    [Fact]
    public void ShippedInt8InkModel_RealPenDigits_ReadsAsTheFp32ModelDoes()
    {
        var int8 = Path.Combine(RepoPaths.Models, "inkseq-int8.onnx");
        var digits = UnipenReader.Load(PenFixtures.PlainText);
        Assert.Equal(16, digits.Count);
        using (var c = new DigitClassifier(int8)) Assert.Equal(ModelMetadata.InkSequenceKind, c.Metadata.Kind);
        var q = Probabilities(int8, digits);
        AssertAgree(Probabilities(ShippedFp32, digits), q, digits, maxDifference: 0.1f);
        Assert.True(digits.Select((d, i) => DigitClassifier.ArgMax(q[i]) == d.Digit).Count(ok => ok) >= 15, "the int8 model misreads more than one of the 16 real digits");
    }

    [Fact]
    public void QuantizeFile_InkModelExplicitWriters_CalibratesOnThoseWritersOnly()
    {
        var fp32 = CopyFp32(out var dir);
        var log = new StringWriter();
        ModelQuantizationService.QuantizeFile(fp32, Path.Combine(dir, "inkseq-int8.onnx"), PenFixtures.NewSetDir(), 500, new QuantizationOptions(), log, WriterRange.Parse("25"));
        Assert.Contains("on 6 inks", log.ToString());
        Assert.Equal("25", (string?)ModelMetadata.Load(Path.Combine(dir, "inkseq.json")).Calibration!["penWriters"]);
    }

    [Fact]
    public void QuantizeFile_InkModelWithoutTrainingWriters_AsksForPenWritersAndWritesNothing()
    {
        var fp32 = CopyFp32(out var dir);
        var meta = ModelMetadata.Load(Path.Combine(dir, "inkseq.json"));
        meta.Training = null;
        meta.Save(Path.Combine(dir, "inkseq.json"));
        var int8 = Path.Combine(dir, "inkseq-int8.onnx");
        var ex = Assert.Throws<InvalidDataException>(() => ModelQuantizationService.QuantizeFile(fp32, int8, PenFixtures.NewSetDir(), 100, new QuantizationOptions(), TextWriter.Null));
        Assert.Contains("--pen-writers", ex.Message);
        Assert.False(File.Exists(int8));
    }

    [Fact]
    public void QuantizeFile_InkModelWithImageFolder_RefusedNamingTheFolderAndWritesNothing()
    {
        var fp32 = CopyFp32(out var dir);
        var int8 = Path.Combine(dir, "inkseq-int8.onnx");
        var ex = Assert.ThrowsAny<IOException>(() => ModelQuantizationService.QuantizeFile(fp32, int8, RepoPaths.Mnist, 100, new QuantizationOptions(), TextWriter.Null));
        Assert.Contains(RepoPaths.Mnist, ex.Message);
        Assert.False(File.Exists(int8));
    }

    [Fact]
    public void QuantizeFile_PenWritersForAnImageModel_Refused()
    {
        var dir = RepoPaths.NewTempDir();
        var fp32 = Path.Combine(dir, "digits-fp32.onnx");
        File.Copy(Path.Combine(RepoPaths.Models, "digits-fp32.onnx"), fp32);
        var ex = Assert.Throws<ArgumentException>(() => ModelQuantizationService.QuantizeFile(fp32, Path.Combine(dir, "digits-int8.onnx"), RepoPaths.Mnist, 100, new QuantizationOptions(), TextWriter.Null, WriterRange.Parse("1-24")));
        Assert.Contains("ink sequence model", ex.Message);
    }

    [Fact]
    public void Quantize_InkModelWithImageCalibration_RefusedNamingBothShapes()
    {
        var model = OnnxModelFile.Load(ShippedFp32);
        var ex = Assert.Throws<InvalidDataException>(() => new QdqQuantizer(new QuantizationOptions()).Quantize(model, TestModels.Train.Subset(0, 10), ModelMetadata.MnistDefault, "inkseq"));
        Assert.Contains("[N,5,1,64]", ex.Message);
        Assert.Contains("[N,1,28,28]", ex.Message);
    }

    [Fact]
    public void CalibrationDataInks_FillsTheDevicesFeatures()
    {
        var digits = UnipenReader.Load(PenFixtures.PlainText);
        var data = CalibrationData.Inks(digits.Select(d => d.Ink).ToArray(), 32);
        Assert.Equal([InkSequenceFeatures.Channels, 1, 32], data.SampleShape);
        Assert.Equal(16, data.Count);
        var f = new InkSequenceFeatures(32);
        var want = new float[f.Size];
        f.Extract(digits[7].Ink, want);
        var got = new float[2 * f.Size];
        data.Fill(6, 2, got);
        Assert.Equal(want, got.AsSpan(f.Size).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Fill(15, 2, got));
    }
}
