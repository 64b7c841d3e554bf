using System.Text.Json.Nodes;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Tool.Commands;
using EdgeDigits.Training.Data;
using Microsoft.ML.OnnxRuntime;

namespace EdgeDigits.Tool.Tests;

public sealed class TrainCommandTests
{
    private const string Tiny = "c4,p,c8,gap,fc";

    [Fact]
    public void Parse_AllOptions_BindsValues()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("train --data d --extra e1 --extra e2 --replay 500 --epochs 7 --batch 64 --lr 0.01 --optimizer sgd --schedule cosine --arch c8,p,fc --width 0.5 --dropout 0.2 --weight-decay 0.001 --label-smoothing 0.1 --augment 0.5 --domain-augment 0.4 --seed 9 --threads 1 --val-split 0.1 --folds 3 --checkpoint ck --init m.onnx --out o.onnx");
        Assert.Empty(r.Errors);
        var t = Assert.IsType<TrainCommand>(r.CommandResult.Command);
        var o = t.OptionsFrom(r);
        Assert.Equal(7, o.Epochs);
        Assert.Equal(64, o.BatchSize);
        Assert.Equal(0.01f, o.LearningRate);
        Assert.Equal("sgd", o.Optimizer);
        Assert.Equal("cosine", o.Schedule);
        Assert.Equal("c8,p,fc", o.Architecture);
        Assert.Equal(0.5f, o.Width);
        Assert.Equal(9, o.Seed);
        Assert.Equal(0.5f, o.Augment);
        Assert.Equal(0.4f, o.DomainAugment);
        Assert.Equal(["e1", "e2"], r.GetValue(t.Extra)!);
        Assert.Equal(3, r.GetValue(t.Folds));
        Assert.Equal("m.onnx", r.GetValue(t.Init));
    }

    [Fact]
    public void Parse_InkAndPipeline_BindCounts()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("train --ink 500 --pipeline 300");
        Assert.Empty(r.Errors);
        var t = Assert.IsType<TrainCommand>(r.CommandResult.Command);
        Assert.Equal(500, r.GetValue(t.Ink));
        Assert.Equal(300, r.GetValue(t.Pipeline));
    }

    [Fact]
    public void Train_InkAndPipelineData_AreGeneratedAndRecorded()
    {
        var dir = RepoPaths.NewTempDir();
        var output = Path.Combine(dir, "dev-fp32.onnx");
        var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "300", "--ink", "120", "--pipeline", "80", "--arch", Tiny, "--epochs", "1", "--out", output);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("generated 120 ink crops and 80 frame-pipeline crops", r.Stderr);
        Assert.Contains("+ 120 from MNIST-train inks", r.Stderr);
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "dev.json")))!["training"]!["data"]!;
        Assert.Equal(120, data["inkDigits"]!.GetValue<int>());
        Assert.Equal(80, data["pipelineDigits"]!.GetValue<int>());
        Assert.Equal(500, data["trainImages"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("train --epochs many")]
    [InlineData("train --lr fast")]
    [InlineData("train --bogus 1")]
    public void Parse_BadValues_ReportErrors(string line)
    {
        Assert.NotEmpty(EdgeDigitsCli.CreateRootCommand().Parse(line).Errors);
    }

    [Fact]
    public void Train_MissingDataDir_ExitsBadInputNamingFolder()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir(), "nope");
        var r = ToolProcess.Run("train", "--data", dir, "--epochs", "1");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains(dir, r.Stderr);
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--lr", "-1", "--lr")]
    [InlineData("--optimizer", "rmsprop", "--optimizer")]
    [InlineData("--arch", "c8,x9,fc", "--arch")]
    [InlineData("--val-split", "1.5", "--val-split")]
    [InlineData("--ink", "-1", "--ink")]
    [InlineData("--pipeline", "-3", "--pipeline")]
    [InlineData("--domain-augment", "1.5", "--domain-augment")]
    public void Train_BadOptionValue_ExitsUsageNamingOption(string option, string value, string named)
    {
        var output = Path.Combine(RepoPaths.NewTempDir(), "m.onnx");
        var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "100", option, value, "--out", output);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains(named, r.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Train_LabelOutOfRange_ExitsBadInput()
    {
        var dir = RepoPaths.NewTempDir();
        IdxFile.Write(Path.Combine(dir, "train-images-idx3-ubyte"), [3, 28, 28], new byte[3 * 784]);
        IdxFile.Write(Path.Combine(dir, "train-labels-idx1-ubyte"), [3], [1, 12, 3]);
        var r = ToolProcess.Run("train", "--data", dir, "--epochs", "1");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("label 12", r.Stderr);
    }

    [Fact]
    public void Train_EmptyExtraFolder_ExitsBadInput()
    {
        var extra = RepoPaths.NewTempDir();
        Directory.CreateDirectory(Path.Combine(extra, "3"));
        var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "100", "--extra", extra, "--epochs", "1");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("no images", r.Stderr);
    }

    [Fact]
    public void Train_MissingResumeCheckpoint_ExitsBadInput()
    {
        var ck = Path.Combine(RepoPaths.NewTempDir(), "none.ckpt");
        var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "100", "--arch", Tiny, "--resume", ck);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains(ck, r.Stderr);
    }

    [Fact]
    public void Train_TinyRun_WritesOnnxMetadataAndCheckpoint()
    {
        var dir = RepoPaths.NewTempDir();
        var output = Path.Combine(dir, "tiny-fp32.onnx");
        var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "600", "--arch", Tiny, "--epochs", "2", "--batch", "32", "--lr", "0.01", "--checkpoint", Path.Combine(dir, "ck"), "--out", output);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("epoch 2/2", r.Stderr);
        Assert.Contains("ETA", r.Stderr);
        Assert.Contains("MNIST test accuracy", r.Stderr);
        Assert.True(File.Exists(Path.Combine(dir, "ck", "last.ckpt")));
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tiny.json")))!;
        Assert.Equal(10, meta["classes"]!.AsArray().Count);
        Assert.StartsWith("edgedigits train --data", meta["training"]!["command"]!.GetValue<string>());
        Assert.Equal(Tiny, meta["training"]!["recipe"]!["architecture"]!.GetValue<string>());
        Assert.InRange(meta["metrics"]!["mnistTestAccuracyFp32"]!.GetValue<double>(), 0.0, 1.0);
        using var session = new InferenceSession(output);
        Assert.Equal("input", session.InputMetadata.Keys.Single());

        // Fine-tune from the exported model and from the checkpoint.
        var tuned = Path.Combine(dir, "tuned-fp32.onnx");
        var f = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "300", "--arch", Tiny, "--epochs", "1", "--init", output, "--out", tuned);
        Assert.True(f.ExitCode == ExitCodes.Success, f.Stderr);
        Assert.Contains("initialized from", f.Stderr);
        var c = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "300", "--arch", Tiny, "--epochs", "3", "--batch", "32", "--lr", "0.01", "--resume", Path.Combine(dir, "ck"));
        Assert.True(c.ExitCode == ExitCodes.Success, c.Stderr);
        Assert.Contains("resumed from", c.Stderr);
        Assert.Contains("epoch 3/3", c.Stderr);
        Assert.DoesNotContain("epoch 1/3", c.Stderr);
    }

    [Fact]
    public void Train_UspsExtraWithDomainAugment_RecordsBothInMetadata()
    {
        var dir = RepoPaths.NewTempDir();
        var usps = Path.Combine(dir, "usps");
        var fetch = ToolProcess.Run("data", "fetch", "usps", "--from", UspsFixtures.WriteFolder(Path.Combine(dir, "src"), perClass: 6), "--dir", usps);
        Assert.True(fetch.ExitCode == ExitCodes.Success, fetch.Stderr);
        var output = Path.Combine(dir, "u-fp32.onnx");
        var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "300", "--arch", Tiny, "--epochs", "1", "--extra", Path.Combine(usps, "train"), "--domain-augment", "0.5", "--out", output);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains($"300 MNIST + 50 from {Path.Combine(usps, "train")}", r.Stderr);
        var training = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "u.json")))!["training"]!;
        Assert.Equal(0.5f, training["recipe"]!["domainAugment"]!.GetValue<float>());
        Assert.Equal($"{Path.Combine(usps, "train")} (50)", training["data"]!["extra"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Train_SameSeedInTwoProcesses_WritesIdenticalModels()
    {
        // Separate processes catch per-process randomness (e.g. HashCode seeding) that an
        // in-process comparison cannot see.
        var dir = RepoPaths.NewTempDir();
        string Run(string name, string seed)
        {
            var path = Path.Combine(dir, name);
            var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "300", "--arch", Tiny, "--epochs", "2", "--batch", "32", "--dropout", "0.3", "--seed", seed, "--out", path);
            Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
            return path;
        }
        var a = File.ReadAllBytes(Run("a.onnx", "4"));
        var b = File.ReadAllBytes(Run("b.onnx", "4"));
        var c = File.ReadAllBytes(Run("c.onnx", "5"));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Train_TwoFolds_PrintsMeanAndSd()
    {
        var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "400", "--arch", Tiny, "--epochs", "1", "--folds", "2");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("fold 2: validation accuracy", r.Stderr);
        Assert.Matches(@"2-fold cross-validation: \d+\.\d\d% ± \d+\.\d\d%", r.Stderr);
    }

    [Fact]
    public void Tune_TinyGrid_WritesCsvAndMarkdownTables()
    {
        var csv = Path.Combine(RepoPaths.NewTempDir(), "tune.csv");
        var r = ToolProcess.Run("tune", "--data", RepoPaths.Mnist, "--limit", "300", "--arch", Tiny, "--lr", "0.003,0.01", "--dropout", "0", "--epochs", "1", "--out", csv);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("rank,arch,lr", lines[0]);
        Assert.Contains("| rank |", File.ReadAllText(Path.ChangeExtension(csv, ".md")));
    }

    [Fact]
    public void Tune_BadList_ExitsUsageNamingOption()
    {
        var r = ToolProcess.Run("tune", "--data", RepoPaths.Mnist, "--lr", "0.1,abc", "--out", Path.Combine(RepoPaths.NewTempDir(), "t.csv"));
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--lr", r.Stderr);
    }
}
