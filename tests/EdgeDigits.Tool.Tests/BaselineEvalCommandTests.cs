using System.Text.Json.Nodes;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Tool.Commands;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Tests.TestInfrastructure;
using Google.Protobuf;

namespace EdgeDigits.Tool.Tests;

public sealed class BaselineEvalCommandTests
{
    [Fact]
    public void Parse_BaselineOptions_BindValues()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("eval --baseline knn --features hog --data d --train a b --train-mnist none --k 5 --train-limit 300");
        Assert.Empty(r.Errors);
        var e = Assert.IsType<EvalCommand>(r.CommandResult.Command);
        Assert.Equal("knn", r.GetValue(e.Baseline));
        Assert.Equal("hog", r.GetValue(e.Features));
        Assert.Equal(["a", "b"], r.GetValue(e.Train)!);
        Assert.Equal("none", r.GetValue(e.TrainMnist));
        Assert.Equal(5, r.GetValue(e.K));
        Assert.Equal(300, r.GetValue(e.TrainLimit));
    }

    [Theory]
    [InlineData("eval --baseline bayes --data d", "--baseline: unknown baseline 'bayes' (expected one of knn, svm, tree, forest)")]
    [InlineData("eval --baseline knn --features sift --data d", "--features: unknown features 'sift' (expected one of pixels, pca, hog)")]
    [InlineData("eval --model m --features pca --data d", "--features, --train, --train-mnist, --k and --train-limit apply to --baseline only")]
    [InlineData("eval --baseline knn --k 0 --data d", "--k must be at least 1")]
    [InlineData("eval --baseline knn --pen p", "--baseline evaluates crops (--data), not pen inks")]
    public void Run_BadBaselineLine_ExitsUsageWithOneLine(string line, string message)
    {
        var r = ToolProcess.Run(line.Split(' '));
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal($"edgedigits: {message}", r.Stderr.Trim());
    }

    [Fact]
    public void Eval_KnnBesideCnnOnFolderData_JsonHasTheSameFieldsForBoth()
    {
        var dir = RepoPaths.NewTempDir();
        var cnn = Path.Combine(dir, "simple-fp32.onnx");
        File.WriteAllBytes(cnn, TestModels.Simple().ToByteArray());
        var data = Path.Combine(dir, "ds");
        FolderDatasetWriter.Write(TestModels.Test.Subset(0, 200), data);
        var outDir = Path.Combine(dir, "figs");
        var r = ToolProcess.Run("eval", "--baseline", "knn", "--data", data, "--train-mnist", RepoPaths.Mnist, "--train-limit", "2000",
            "--model", cnn, "--json", "--out", outDir);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var json = JsonNode.Parse(r.Stdout)!;
        Assert.Equal("folder", (string?)json["data"]!["kind"]);
        var baseline = json["models"]![0]!.AsObject();
        var model = json["models"]![1]!.AsObject();
        Assert.Equal(model.Select(p => p.Key), baseline.Select(p => p.Key));
        Assert.Equal("knn-pca", (string?)baseline["name"]);
        Assert.Equal("pca", (string?)baseline["baseline"]!["features"]);
        Assert.Equal(2000, (int)baseline["baseline"]!["trainCount"]!);
        Assert.Null(model["baseline"]);
        Assert.InRange((double)baseline["accuracy"]!, 0.8, 1.0);
        Assert.Equal(200, (int)baseline["count"]!);
        Assert.Equal(10, baseline["perClass"]!.AsArray().Count);
        Assert.Equal(200, baseline["confusion"]!["matrix"]!.AsArray().SelectMany(row => row!.AsArray()).Sum(v => (int)v!));
        Assert.True((double)baseline["latency"]!["singleImageMsMedian"]! > 0);
        Assert.Equal("knn-pca", (string?)json["comparison"]!["baseline"]);
        Assert.True(File.Exists(Path.Combine(outDir, "knn-pca-confusion.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "simple-fp32-confusion.png")));
    }

    [Fact]
    public void Eval_TreeTextOutput_ShowsBaselineAndComparison()
    {
        var dir = RepoPaths.NewTempDir();
        var cnn = Path.Combine(dir, "simple-fp32.onnx");
        File.WriteAllBytes(cnn, TestModels.Simple().ToByteArray());
        var data = Path.Combine(dir, "ds");
        FolderDatasetWriter.Write(TestModels.Test.Subset(0, 100), data);
        var r = ToolProcess.Run("eval", "--baseline", "tree", "--data", data, "--train", data, "--train-mnist", "none", "--model", cnn);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        // Trained and evaluated on the same 100 images: a fully grown tree gets them all.
        Assert.Contains("accuracy   100.00%  (100/100)", r.Stdout);
        Assert.Contains($"baseline   tree on pixels features", r.Stdout);
        Assert.Contains("== tree-pixels vs simple-fp32.onnx", r.Stdout);
        Assert.Matches(@"model\s+accuracy  macro F1\s+bytes  ms/image  single ms\ntree-pixels\s+100\.00%\s+1\.0000\s+[\d,]+\s+[\d.]+\s+[\d.]+\nsimple-fp32\.onnx\s+\d+\.\d\d%", r.Stdout);
    }

    [Fact]
    public void Eval_OneClassTrainingSet_ExitsUsageWithOneLine()
    {
        var dir = RepoPaths.NewTempDir();
        var threes = Path.Combine(dir, "threes");
        FolderDatasetWriter.Write(TestModels.Test.WhereClass("3").Subset(0, 10), threes);
        var r = ToolProcess.Run("eval", "--baseline", "forest", "--data", threes, "--train", threes, "--train-mnist", "none");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal("edgedigits eval: forest: the training data has only one class; a classifier needs at least two", r.Stderr.Trim().Split('\n')[^1]);
        // Progress lines may come first; the error itself is that one line, with no stack trace.
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Eval_KLargerThanTrainingSet_ExitsUsageWithOneLine()
    {
        var r = ToolProcess.Run("eval", "--baseline", "knn", "--data", RepoPaths.Mnist, "--train-limit", "20", "--k", "50");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal("edgedigits eval: knn: k=50 is larger than the training set (20 images)", r.Stderr.Trim().Split('\n')[^1]);
        // Progress lines may come first; the error itself is that one line, with no stack trace.
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Eval_WrongImageSize_ExitsBadInputWithOneLine()
    {
        var dir = RepoPaths.NewTempDir();
        IdxFile.Write(Path.Combine(dir, "train-images-idx3-ubyte"), [4, 20, 20], new byte[4 * 400]);
        IdxFile.Write(Path.Combine(dir, "train-labels-idx1-ubyte"), [4], [0, 1, 0, 1]);
        var r = ToolProcess.Run("eval", "--baseline", "knn", "--data", RepoPaths.Mnist, "--train-mnist", dir, "--model", Path.Combine(RepoPaths.Models, "digits-int8.onnx"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.EndsWith("images are 20x20, expected 28x28", r.Stderr.Trim());
        Assert.True(r.Stderr.Trim().Split('\n').Length == 1, r.Stderr);
    }
}
