using EdgeDigits.Core.Models;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Evaluation;
using EdgeDigits.Training.Synthetic;
using EdgeDigits.Training.Tests.TestInfrastructure;
using Google.Protobuf;
using SkiaSharp;

namespace EdgeDigits.Training.Tests.Evaluation;

public sealed class EvaluationTests
{
    private static readonly EvalOptions Fast = new() { LatencySamples = 20 };

    [Fact]
    public void ClassificationMetrics_KnownPredictions_MatchHandComputedValues()
    {
        // truth:     a a a b b c
        // predicted: a a b b c c
        var m = new ClassificationMetrics(["a", "b", "c"], [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);
        Assert.Equal(4 / 6.0, m.Accuracy, 12);
        Assert.Equal([2, 1, 0], m.Confusion[0]);
        Assert.Equal([0, 1, 1], m.Confusion[1]);
        var b = m.PerClass[1];
        Assert.Equal(0.5, b.Precision, 12);
        Assert.Equal(0.5, b.Recall, 12);
        var a = m.PerClass[0];
        Assert.Equal(1.0, a.Precision, 12);
        Assert.Equal(2 / 3.0, a.Recall, 12);
        Assert.Equal(0.8, a.F1, 12);
        Assert.Equal((0.8 + 0.5 + 2 / 3.0) / 3, m.MacroF1, 12);
    }

    [Fact]
    public void Evaluate_SimpleModel_MatchesDirectOrtArgmax()
    {
        var model = TestModels.Simple();
        var path = Path.Combine(RepoPaths.NewTempDir(), "simple.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        var test = TestModels.Test;
        var direct = TestModels.ArgMax(TestModels.Run(model, test), 10);
        var e = new ModelEvaluator(Fast with { BatchSize = 37 }, TextWriter.Null).Evaluate(path, test);
        Assert.Equal(direct, e.Predicted);
        Assert.Equal(TestModels.Accuracy(direct, test.Labels), e.Metrics.Accuracy, 12);
        Assert.Equal(test.Count, e.Metrics.Confusion.Sum(r => r.Sum()));
        Assert.False(e.MetadataFromFile);
        Assert.True(e.Latency.MsPerImage > 0 && e.Latency.SingleImageMsMedian > 0);
    }

    [Fact]
    public void Evaluate_RejectClassModel_CountsNotADigitReadings()
    {
        var meta = new ModelMetadata { Classes = [.. DigitSet.DigitClasses, "none"], RejectClass = "none" };
        var data = TestModels.Test.Subset(0, 50);
        var (none, kinds) = new NotDigitGenerator().GenerateWithKinds(30, SyntheticSplit.Test, 4);
        // Always "none" with confidence e^5/(e^5+10) = 0.937.
        var rejecting = TinyModels.ConstantLogits([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5], meta);
        var e = new ModelEvaluator(Fast, TextWriter.Null).Evaluate(rejecting, data, none, kinds);
        Assert.Equal(0, e.NotADigit!.ReadAsDigit);
        Assert.Equal("reject-class+threshold", e.NotADigit.Method);
        Assert.Equal(0, e.Metrics.Correct);
        Assert.Equal(0, e.Threshold.Accepted);
        // Always "3" with confidence 0.937: every non-digit crop is read as a digit.
        var inventing = TinyModels.ConstantLogits([0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0], meta);
        var e2 = new ModelEvaluator(Fast, TextWriter.Null).Evaluate(inventing, data, none, kinds);
        Assert.Equal(30, e2.NotADigit!.ReadAsDigit);
        Assert.Equal(1.0, e2.NotADigit.ByKind["Speck"]);
        Assert.Equal(data.Labels.Count(l => l == 3), e2.Metrics.Correct);
    }

    [Fact]
    public void Evaluate_LowConfidenceModel_ThresholdRejectsEverything()
    {
        // Uniform logits: confidence 0.1 < 0.5 for every image and every crop.
        var path = TinyModels.ConstantLogits(new float[10]);
        var none = new NotDigitGenerator().Generate(12, SyntheticSplit.Test, 4);
        var e = new ModelEvaluator(Fast, TextWriter.Null).Evaluate(path, TestModels.Test.Subset(0, 20), none);
        Assert.Equal(0, e.NotADigit!.ReadAsDigit);
        Assert.Equal("threshold", e.NotADigit.Method);
        Assert.Equal(1.0, e.NotADigit.ArgmaxDigitRate);
        Assert.Equal(0, e.Threshold.Accepted);
    }

    [Fact]
    public void Evaluate_MetadataClassCountDiffersFromOutput_ThrowsNamingBoth()
    {
        var path = TinyModels.ConstantLogits(new float[11]);
        var ex = Assert.Throws<InvalidDataException>(() => new ModelEvaluator(Fast, TextWriter.Null).Evaluate(path, TestModels.Test.Subset(0, 5)));
        Assert.Contains("11 classes", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Evaluate_WrongInputSize_Throws()
    {
        var path = TinyModels.ConstantLogits(new float[10], side: 32);
        var ex = Assert.Throws<InvalidDataException>(() => new ModelEvaluator(Fast, TextWriter.Null).Evaluate(path, TestModels.Test.Subset(0, 5)));
        Assert.Contains("does not match the metadata", ex.Message);
    }

    [Fact]
    public void Evaluate_NotOnnxFile_ThrowsNamingFile()
    {
        var path = Path.Combine(RepoPaths.NewTempDir(), "junk.onnx");
        File.WriteAllText(path, "junk");
        var ex = Assert.Throws<InvalidDataException>(() => new ModelEvaluator(Fast, TextWriter.Null).Evaluate(path, TestModels.Test.Subset(0, 5)));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void EvalService_TwoModelsWithFigures_WritesPngsJsonAndComparison()
    {
        var a = TinyModels.ConstantLogits([0, 0, 0, 0, 0, 0, 0, 5, 0, 0], name: "a-fp32.onnx");
        var b = TinyModels.ConstantLogits([0, 0, 0, 0, 0, 0, 0, 0, 0, 5], name: "b-int8.onnx");
        var data = Path.Combine(RepoPaths.NewTempDir(), "ds");
        FolderDatasetWriter.Write(TestModels.Test.Subset(0, 40), data);
        var outDir = Path.Combine(RepoPaths.NewTempDir(), "eval");
        var report = EvalService.Run([a, b], data, Fast, notDigitSamples: 12, outDir, TextWriter.Null);
        var json = report.ToJson();
        Assert.Equal("edgedigits-eval/1", (string?)json["format"]);
        Assert.Equal("folder", (string?)json["data"]!["kind"]);
        var sevens = TestModels.Test.Subset(0, 40).Labels.Count(l => l == 7);
        var nines = TestModels.Test.Subset(0, 40).Labels.Count(l => l == 9);
        Assert.Equal(sevens / 40.0, (double)json["models"]![0]!["accuracy"]!, 12);
        Assert.Equal((sevens - nines) * 100 / 40.0, (double)json["comparison"]!["accuracyDropPoints"]!, 9);
        Assert.Equal(0.0, (double)json["comparison"]!["agreement"]!);
        Assert.Equal(12, (int)json["models"]![1]!["notADigit"]!["count"]!);
        Assert.True(File.Exists(Path.Combine(outDir, "report.json")));
        var text = report.ToText();
        Assert.Contains("drop", text);
        Assert.Contains("confusion (rows: true, columns: predicted)", text);

        using var heat = SKBitmap.Decode((string)json["models"]![0]!["figures"]!["confusionPng"]!);
        Assert.True(heat.Width > 400 && heat.Height > 400);
        // Column "7" holds every prediction: its cells are shaded, the column of "2" is white.
        Assert.NotEqual(SKColors.White, heat.GetPixel(70 + 7 * 40 + 5, 70 + 7 * 40 + 5));
        Assert.Equal(SKColors.White, heat.GetPixel(70 + 2 * 40 + 5, 70 + 7 * 40 + 5));
        using var gallery = SKBitmap.Decode((string)json["models"]![0]!["figures"]!["misclassifiedPng"]!);
        Assert.Equal(10 * (84 + 6) + 6, gallery.Width);
        // Labels were drawn: the caption strip under the first tile has red text pixels.
        var red = 0;
        for (var x = 6; x < 90; x++) for (var y = 30 + 84; y < 30 + 84 + 16; y++) if (gallery.GetPixel(x, y).Red > 150 && gallery.GetPixel(x, y).Green < 100) red++;
        Assert.True(red > 10);
    }
}

public sealed class StableSoftmaxTests
{
    [Fact]
    public void StableSoftmax_HugeNegativeLogits_StaysFiniteAndOrdered()
    {
        float[] v = [-1000f, -999f, -1001f];
        EdgeDigits.Core.Recognition.DigitClassifier.StableSoftmax(v);
        Assert.All(v, x => Assert.True(float.IsFinite(x)));
        Assert.Equal(1f, v.Sum(), 5);
        Assert.True(v[1] > v[0] && v[0] > v[2]);
    }
}
