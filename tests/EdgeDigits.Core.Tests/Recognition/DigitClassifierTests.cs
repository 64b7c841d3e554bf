using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Recognition;

public class DigitClassifierTests
{
    [Fact]
    public void Run_MnistTestDigits_AtLeast97PercentCorrect()
    {
        using var c = new DigitClassifier(TestModels.Default);
        int ok = 0, n = 0;
        for (int start = 0; start < 960; start += c.MaxBatch)
        {
            int count = Math.Min(c.MaxBatch, 960 - start);
            for (int i = 0; i < count; i++) c.SetInput(i, MnistTestSet.Image(start + i));
            var p = c.Run(count);
            for (int i = 0; i < count; i++, n++)
                if (DigitClassifier.ArgMax(p.Slice(i * c.ClassCount, c.ClassCount)) == MnistTestSet.Label(start + i)) ok++;
        }
        Assert.True(ok >= 0.97 * n, $"{ok}/{n} correct");
    }

    [Fact]
    public void Run_Batch_EqualsOneByOne()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var single = new float[6 * c.ClassCount];
        for (int i = 0; i < 6; i++)
        {
            c.SetInput(0, MnistTestSet.Image(100 + i));
            c.Run(1).CopyTo(single.AsSpan(i * c.ClassCount));
        }
        for (int i = 0; i < 6; i++) c.SetInput(i, MnistTestSet.Image(100 + i));
        var batch = c.Run(6).ToArray();
        for (int i = 0; i < batch.Length; i++) Assert.Equal(single[i], batch[i], 4);
    }

    [Fact]
    public void Run_ProbabilitiesSumToOne()
    {
        using var c = new DigitClassifier(TestModels.Default);
        c.SetInput(0, MnistTestSet.Image(7));
        Assert.Equal(1.0, c.Run(1).ToArray().Sum(), 4);
    }

    [Fact]
    public void Run_SteadyState_AllocatesNothing()
    {
        using var c = new DigitClassifier(TestModels.Default, new DigitClassifierOptions { IntraOpThreads = 1 });
        void Once(int n)
        {
            for (int i = 0; i < n; i++) c.SetInput(i, MnistTestSet.Image(i));
            c.Run(n);
        }
        Assert.Equal(0, Allocations.SteadyState(() => { Once(6); Once(1); }, callsPerWindow: 20, warmup: 5));
    }

    [Fact]
    public void Constructor_InputShapeDisagreesWithMetadata_ThrowsClearError()
    {
        var model = TestModels.CopyToTemp(out var dir);
        var meta = ModelMetadata.LoadFor(TestModels.Default);
        meta.InputShape = [-1, 1, 32, 32];
        var e = Assert.Throws<ModelLoadException>(() => new DigitClassifier(model, meta));
        Assert.Contains("input shape", e.Message);
        Assert.Contains("[-1,1,32,32]", e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Constructor_ClassCountDisagreesWithMetadata_ThrowsClearError()
    {
        var model = TestModels.CopyToTemp(out var dir);
        var meta = ModelMetadata.LoadFor(TestModels.Default);
        int n = meta.Classes.Length;
        meta.Classes = [.. meta.Classes, "x"];
        var e = Assert.Throws<ModelLoadException>(() => new DigitClassifier(model, meta));
        Assert.Contains($"{n + 1} classes", e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Constructor_WrongInputName_ListsActualInputs()
    {
        var model = TestModels.CopyToTemp(out var dir);
        var meta = ModelMetadata.LoadFor(TestModels.Default);
        meta.InputName = "pixels";
        var e = Assert.Throws<ModelLoadException>(() => new DigitClassifier(model, meta));
        Assert.Contains("no input 'pixels'", e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Constructor_CorruptModel_ThrowsNamingTheFile()
    {
        var dir = EdgeDigits.Tests.Shared.RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "bad.onnx");
        File.WriteAllText(path, "not a model");
        var e = Assert.Throws<ModelLoadException>(() => new DigitClassifier(path));
        Assert.StartsWith(path + ": not a loadable ONNX model", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Constructor_MissingModel_ThrowsNamingTheFile()
    {
        var e = Assert.Throws<ModelLoadException>(() => new DigitClassifier("/nonexistent/m.onnx"));
        Assert.Equal("/nonexistent/m.onnx: model file not found", e.Message);
    }

    [Fact]
    public void Constructor_BadMetadataJson_ThrowsNamingTheMetadataFile()
    {
        var model = TestModels.CopyToTemp(out var dir);
        File.WriteAllText(Path.Combine(dir, "digits.json"), "{ not json");
        var e = Assert.Throws<ModelLoadException>(() => new DigitClassifier(model));
        Assert.Contains("digits.json", e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void SetInput_AppliesMetadataNormalization()
    {
        // A model with scale 2 / offset -1 expects [-1,1]; classifying with the wrong normalization must change the scores.
        var model = TestModels.CopyToTemp(out var dir);
        var meta = ModelMetadata.LoadFor(TestModels.Default);
        using var a = new DigitClassifier(model, meta);
        meta.Scale = 2;
        meta.Offset = -1;
        using var b = new DigitClassifier(model, meta);
        a.SetInput(0, MnistTestSet.Image(3));
        b.SetInput(0, MnistTestSet.Image(3));
        Assert.NotEqual(a.Run(1).ToArray(), b.Run(1).ToArray());
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Run_CountOutsideBatch_Throws()
    {
        using var c = new DigitClassifier(TestModels.Default, new DigitClassifierOptions { MaxBatch = 4 });
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Run(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Run(0));
    }

    [Fact]
    public void Dispose_ThenRun_ThrowsObjectDisposed()
    {
        var c = new DigitClassifier(TestModels.Default);
        c.Dispose();
        Assert.Throws<ObjectDisposedException>(() => c.Run(1));
    }

    [Theory]
    [InlineData(-200f, -150f, -100f)]
    [InlineData(100f, 150f, 200f)]
    [InlineData(0f, 1f, 2f)]
    public void StableSoftmax_ExtremeLogits_FiniteAndOrdered(float a, float b, float c)
    {
        Span<float> row = [a, b, c];
        DigitClassifier.StableSoftmax(row);
        foreach (var p in row) Assert.True(float.IsFinite(p), $"probability {p} is not finite");
        Assert.Equal(1f, row[0] + row[1] + row[2], 4);
        Assert.True(row[2] > row[1] && row[1] > row[0]);
    }
}
